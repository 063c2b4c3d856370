"""The permission matrix for responses that stream a file (FileResponse has no `.content`)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from support.matrix import Matrix


@dataclass
class Read:
    """A response with its streamed body read, as the matrix looks at it."""

    status_code: int
    content: bytes
    headers: dict

    def __getitem__(self, key: str) -> str:
        return self.headers[key]

    def json(self):
        return json.loads(self.content)


def read(response) -> Read:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return Read(response.status_code, body, dict(response.items()))


class StreamMatrix(Matrix):
    def _call(self, client, token=None):
        return read(super()._call(client, token))
