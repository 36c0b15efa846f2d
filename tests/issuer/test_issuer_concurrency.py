"""Swapping the publication while several threads fetch: every answer comes from one publication."""

from __future__ import annotations

import threading
import time
from typing import Iterable

import httpx
import pytest

from conformance.issuer import LocalIssuer
from conformance.publication import WELL_KNOWN, Endpoint, Publication

pytestmark = pytest.mark.network

Answer = tuple[int, "str | None", bytes]

# Every part of the answer differs between the two, so an answer stitched from both is visible.
# The delay widens the window in which a server re-reading the publication would mix them.
FIRST = Publication(discovery=Endpoint(path=WELL_KNOWN, body=b'{"issuer": "first"}', status=200,
                                       content_type="application/json", delay=0.002),
                    jwks=Endpoint(path="/jwks", body=b'{"keys": ["first"]}'))
SECOND = Publication(discovery=Endpoint(path=WELL_KNOWN, body=b"second publication, longer body", status=503,
                                        content_type="text/plain; charset=utf-8"),
                     jwks=Endpoint(path="/jwks", body=b'{"keys": []}', status=500))
THREADS = 4
REQUESTS_PER_THREAD = 40


def answer_of(publication: Publication) -> Answer:
    return (publication.discovery.status, publication.discovery.content_type, publication.discovery.body)


def mixed_answers(answers: Iterable[Answer], allowed: Iterable[Answer]) -> list[Answer]:
    """Answers that are not exactly one of the allowed ones."""
    allowed = set(allowed)
    return [answer for answer in answers if answer not in allowed]


def test_mixed_answers_finds_an_answer_stitched_from_two_publications() -> None:
    first, second = answer_of(FIRST), answer_of(SECOND)
    stitched = [(first[0], second[1], second[2]), (second[0], second[1], first[2]), (first[0], first[1], b"")]
    assert mixed_answers([first, second, *stitched], [first, second]) == stitched


def test_swapping_under_concurrent_requests_never_mixes_publications(oidc_issuer: LocalIssuer) -> None:
    url = oidc_issuer.url(WELL_KNOWN)
    answers: list[Answer] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(THREADS + 1)

    def fetch_many() -> None:
        try:
            with httpx.Client(trust_env=False, timeout=10.0) as client:
                start.wait()
                for _ in range(REQUESTS_PER_THREAD):
                    response = client.get(url)
                    with lock:
                        answers.append((response.status_code, response.headers.get("content-type"),
                                        response.content))
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    oidc_issuer.publish(FIRST)
    workers = [threading.Thread(target=fetch_many) for _ in range(THREADS)]
    for worker in workers:
        worker.start()
    start.wait()
    swaps = 0
    while any(worker.is_alive() for worker in workers):
        oidc_issuer.publish(SECOND if swaps % 2 == 0 else FIRST)
        swaps += 1
        time.sleep(0.001)
    for worker in workers:
        worker.join()

    assert errors == []
    assert len(answers) == THREADS * REQUESTS_PER_THREAD
    assert mixed_answers(answers, [answer_of(FIRST), answer_of(SECOND)]) == []
    # both publications were really served while requests were in flight
    assert {answer[0] for answer in answers} == {200, 503}
    assert swaps > 2
