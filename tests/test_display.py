"""explorer.display: the pace of live redraws and how numbers are printed."""

from explorer.display import Throttle


class FakeClock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_throttle_lets_one_redraw_through_per_interval_and_always_the_first_and_last():
    clock = FakeClock()
    pace = Throttle(0.25, clock=clock)
    drawn = []
    for epoch in range(1, 101):  # 100 epochs at 64 a second (steps exact in binary)
        if pace.ready(force=epoch == 100):
            drawn.append(epoch)
        clock.now += 1 / 64
    assert drawn == [1, 17, 33, 49, 65, 81, 97, 100]


def test_throttle_draws_every_time_when_each_step_is_slower_than_the_interval():
    clock = FakeClock()
    pace = Throttle(0.4, clock=clock)
    ready = []
    for _ in range(5):
        ready.append(pace.ready())
        clock.now += 0.5
    assert ready == [True] * 5


def test_readable_number_keeps_huge_losses_short_and_names_nan():
    from explorer.display import readable_number

    assert readable_number(40321326305096220830864044030164992.0) == "4.032e+34"
    assert readable_number(float("nan")) == "NaN"
    assert readable_number(float("inf")) == "∞" and readable_number(float("-inf")) == "-∞"
    assert readable_number(0.6873148) == "0.6873"
    assert readable_number(0.0376) == "0.0376"
    assert readable_number(0.000012345) == "1.234e-05"
    assert readable_number(None) == "—"
