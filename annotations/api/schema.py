"""The OpenAPI generator, taught the API's error answers.

Every operation documents the errors it can give in the one error shape, so clients (and the
schema-driven fuzz test) know every status code they may meet.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema

from annotations.api.serializers import ErrorOutput

_DESCRIPTIONS = {
    "400": "Invalid input; `fields` names each bad field.",
    "401": "Not signed in: send a token or a session cookie.",
    "403": "Your role may not do this.",
    "404": "No such object, or one you may not see.",
    "409": "Stale version or a transition the claim's state does not allow.",
    "429": "Too many writes, or too many failed sign-ins; see Retry-After.",
}


class ErrorDocumentingSchema(AutoSchema):
    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if code not in responses:
                response = self._get_response_for_code(ErrorOutput, code, direction=direction)
                response["description"] = _DESCRIPTIONS[code]
                responses[code] = response
        return responses

    def _error_codes(self) -> list[str]:
        codes = ["400", "401", "403", "404"]
        if self.method in ("POST", "PATCH", "PUT", "DELETE") and "/claims/" in self.path:
            codes.append("409")
        if self.method not in ("GET", "HEAD", "OPTIONS"):
            codes.append("429")
        return codes
