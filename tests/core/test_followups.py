"""RecentAnswers: the page each conversation is about, capped and expiring."""

from __future__ import annotations

from bot.core.followups import RecentAnswers, answer_message, member_in, thread


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_conversation_is_about_its_last_answer_until_it_expires() -> None:
    clock = Clock()
    recent = RecentAnswers(300, clock=clock)
    bob = member_in(1, 10)
    recent.remember("goblet-squat", [bob])
    assert recent.recall([bob]) == "goblet-squat"
    assert recent.recall([member_in(1, 11)]) is None  # another member
    assert recent.recall([member_in(2, 10)]) is None  # another channel
    recent.remember("deadlift", [bob])
    clock.now = 299.0
    assert recent.recall([bob]) == "deadlift"
    clock.now = 300.0
    assert recent.recall([bob]) is None
    assert len(recent) == 0  # an expired entry goes when it is looked up


def test_the_first_conversation_that_has_a_page_wins() -> None:
    recent = RecentAnswers(300, clock=Clock())
    recent.remember("plank", [thread(5), member_in(5, 10)])
    recent.remember("push-up", [answer_message(99)], expires=False)
    assert recent.recall([answer_message(99), thread(5)]) == "push-up"
    assert recent.recall([answer_message(98), thread(5)]) == "plank"


def test_no_answer_ends_the_follow_ups() -> None:
    recent = RecentAnswers(300, clock=Clock())
    recent.remember("plank", [member_in(1, 10)])
    recent.remember(None, [member_in(1, 10)])
    assert recent.recall([member_in(1, 10)]) is None


def test_an_answer_message_does_not_expire() -> None:
    clock = Clock()
    recent = RecentAnswers(60, clock=clock)
    recent.remember("plank", [answer_message(1)], expires=False)
    clock.now = 10**9
    assert recent.recall([answer_message(1)]) == "plank"


def test_the_least_recently_used_go_first_over_the_cap() -> None:
    recent = RecentAnswers(300, capacity=3, clock=Clock())
    for user in range(3):
        recent.remember("plank", [member_in(1, user)])
    assert recent.recall([member_in(1, 0)]) == "plank"  # used: now the most recent
    recent.remember("plank", [member_in(1, 3)])
    assert len(recent) == 3
    assert recent.recall([member_in(1, 1)]) is None
    assert recent.recall([member_in(1, 0)]) == "plank"


def test_zero_minutes_remembers_nothing() -> None:
    recent = RecentAnswers(0)
    recent.remember("plank", [member_in(1, 10)])
    assert not recent.enabled and len(recent) == 0
    assert recent.recall([member_in(1, 10)]) is None
