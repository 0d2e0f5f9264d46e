"""The word map's coordinates are computed once per server, whichever session asks again."""

import explorer.projection
from tests.apptest_helpers import fresh_app, visit

# Words no other test maps, so the first request below is a real computation.
WORDS = "violin, cello, viola, harp, flute, oboe, trumpet, tuba, drum, piano, organ, banjo"


def test_the_same_map_in_a_second_session_is_not_computed_again(monkeypatch):
    calls = []
    real = explorer.projection.project

    def counting(*args, **kwargs):
        calls.append(kwargs.get("method"))
        return real(*args, **kwargs)

    # The page reads `project` from explorer.projection on every run.
    monkeypatch.setattr(explorer.projection, "project", counting)
    maps = []
    for _ in range(2):  # two visitors, one after the other
        at = visit(fresh_app(), "views/word_map.py")
        at.text_area(key="word_map_words").set_value(WORDS).run()
        at.radio(key="word_map_method").set_value("tsne").run()
        assert not at.exception and not at.warning
        maps.append(at.get("plotly_chart")[0].proto.spec)
    assert calls.count("tsne") == 1
    assert maps[0] == maps[1]
    # Another setting is another map.
    at.number_input(key="word_map_seed").set_value(5).run()
    assert calls.count("tsne") == 2
