"""How the poller cuts a mailbox into batches (pure: no server)."""

import pytest

from podpora.mail import imap

MB = 1024 * 1024


def sizes(**by_uid):
    return {int(uid[1:]): {b"RFC822.SIZE": size} for uid, size in by_uid.items()}


@pytest.mark.parametrize(
    ("uids", "size_map", "expected"),
    [
        ([], {}, []),
        ([1, 2, 3], sizes(u1=10, u2=10, u3=10), [[1, 2, 3]]),
        ([1, 2, 3, 4, 5], sizes(u1=1, u2=1, u3=1, u4=1, u5=1), [[1, 2], [3, 4], [5]]),
        # bytes: 3 MB + 3 MB would pass the 5 MB budget
        ([1, 2, 3], sizes(u1=3 * MB, u2=3 * MB, u3=1 * MB), [[1], [2, 3]]),
        # one message over the budget still goes, alone
        ([1, 2], sizes(u1=9 * MB, u2=1), [[1], [2]]),
        # over the message limit only the header is fetched: it counts as the limit
        ([1, 2], sizes(u1=500 * MB, u2=1), [[1], [2]]),
        ([7, 9], {}, [[7, 9]]),  # sizes unknown
    ],
)
def test_batches_respect_count_and_bytes(monkeypatch, settings, uids, size_map, expected):
    monkeypatch.setattr(imap, "BATCH_MESSAGES", 2 if len(uids) == 5 else 50)
    monkeypatch.setattr(imap, "BATCH_BYTES", 5 * MB)
    settings.MAX_MESSAGE_BYTES = 8 * MB
    assert imap._batches(uids, size_map) == expected
