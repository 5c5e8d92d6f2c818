// Calls to the REST API with the session's CSRF token. Every answer resolves to
// {ok, status, data}; a failure carries {error: {status, code, message, fields}}, the API's
// error shape, also for network failures and answers that are not JSON.

import { t } from "./texts.js";

function csrfToken() {
  const input = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (input) return input.value;
  const cookie = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="));
  return cookie ? decodeURIComponent(cookie.slice("csrftoken=".length)) : "";
}

function failure(status, code, message) {
  return { ok: false, status, data: { error: { status, code, message, fields: {} } } };
}

export async function request(method, url, body) {
  const init = {
    method,
    credentials: "same-origin",
    headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
  };
  // The API answers the desk's pages in the language it is asked in: the page's own.
  const language = document.documentElement.lang;
  if (language) init.headers["Accept-Language"] = language;
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url, init);
  } catch {
    const message = t("The server could not be reached. Nothing was saved; try again.");
    return failure(0, "network", message);
  }
  if (response.status === 204) return { ok: true, status: 204, data: null };
  let data = null;
  try {
    data = await response.json();
  } catch {
    if (!response.ok) {
      return failure(
        response.status,
        "unexpected",
        t("The server answered {status} {reason}.", {
          status: response.status,
          reason: response.statusText,
        }),
      );
    }
  }
  if (!response.ok && !(data && data.error)) {
    const message =
      (data && data.detail) || t("The server answered {status}.", { status: response.status });
    return failure(response.status, "unexpected", String(message));
  }
  return { ok: response.ok, status: response.status, data };
}

export const claims = {
  create: (payload) => request("POST", "/api/claims/", payload),
  update: (id, payload) => request("PATCH", `/api/claims/${id}/`, payload),
  remove: (id, version) => request("DELETE", `/api/claims/${id}/?version=${version}`),
  submit: (id, version, comment = "") =>
    request("POST", `/api/claims/${id}/submit/`, { version, comment }),
};
