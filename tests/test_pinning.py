from deckwright.build import build
from deckwright.pinning import pin_ids

UNPINNED = """\
deck: D   # my deck
cards:
  # the first card
  - front: "Where is the nucleus?"   # keep this comment
    back: In the middle
  - {front: Flow card, back: b}
  - id: kept
    front: Already pinned
    back: c
"""


def test_pin_ids_adds_ids_and_keeps_everything_else(project):
    project.write({"cards/a.yaml": UNPINNED})
    guids_before = [row.guid for row in build(project.root, write=False).notes]

    pinned = pin_ids(project.root)

    text = (project.root / "cards/a.yaml").read_text()
    assert [(p.path.as_posix(), p.count) for p in pinned] == [("cards/a.yaml", 2)]
    assert text.startswith(
        "deck: D   # my deck\ncards:\n  # the first card\n  - id: where-is-the-nucleus-"
    )
    assert '\n    front: "Where is the nucleus?"   # keep this comment\n' in text
    assert "  - {id: flow-card-" in text
    assert [row.guid for row in build(project.root, write=False).notes] == guids_before
    assert pin_ids(project.root) == []


def test_pin_ids_keeps_crlf_line_ends(project):
    project.write({"cards/a.yaml": UNPINNED.replace("\n", "\r\n").encode()})
    pin_ids(project.root)
    data = (project.root / "cards/a.yaml").read_bytes()
    assert b"\n" not in data.replace(b"\r\n", b"")


def test_pin_ids_writes_through_a_linked_card_file_and_keeps_its_mode(project):
    project.write({"shared/a.yaml": UNPINNED})
    target = project.root / "shared/a.yaml"
    target.chmod(0o664)
    link = project.root / "cards/a.yaml"
    link.parent.mkdir()
    link.symlink_to(target)
    assert [entry.count for entry in pin_ids(project.root)] == [2]
    assert link.is_symlink()
    assert target.read_text().count("id: ") == 3
    assert target.stat().st_mode & 0o777 == 0o664
