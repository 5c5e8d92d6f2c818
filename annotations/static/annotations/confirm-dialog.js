// A modal question with two answers, on the page's <dialog id="confirm-dialog">: the safe
// answer has the focus, and Escape gives it. Resolves to true for the other (confirming) one.

export function confirmAction({ title, message, confirm, keep }) {
  const dialog = document.getElementById("confirm-dialog");
  const returnTo = document.activeElement;
  dialog.querySelector("#confirm-title").textContent = title;
  dialog.querySelector("#confirm-message").textContent = message;
  const yes = dialog.querySelector("button[value=confirm]");
  const no = dialog.querySelector("button[value=keep]");
  yes.textContent = confirm;
  no.textContent = keep;
  dialog.returnValue = "";
  return new Promise((resolve) => {
    dialog.addEventListener(
      "close",
      () => {
        const confirmed = dialog.returnValue === "confirm";
        if (!confirmed && returnTo && returnTo.isConnected) returnTo.focus();
        resolve(confirmed);
      },
      { once: true },
    );
    dialog.showModal();
    no.focus();
  });
}
