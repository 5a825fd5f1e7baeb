"""The discrete-event engine: one replication of a compiled blueprint.

Event loop on a binary heap of ``(time, key, kind, case, action)`` (``_Calendar``); the key (case
number and action, or a fixed number for calendar events) breaks ties, so a run is a pure function
of its seed. Only events that happen *later* go on the heap (arrivals, action ends, shift changes, a
customer's patience running out): an action that becomes ready is started, queued or skipped at
once. The common path (a queued action that runs once and starts the moment it is ready) is
written out inside the loop; everything else goes through ``ready``/``resolve``/``start``, which
apply the same rules in full. Statistics are three or four numbers appended per execution and
folded into histograms by NumPy in batches (``stats.Ledger``).

A case follows ``semantics.Plan``: an action is ready when all its timing predecessors have
resolved (finished, or been skipped); it runs when one incoming flow is live and its own ``p``
allows, else it is skipped and resolves at once (dead-path elimination). This scalar, per-case
version of ``semantics.decide_live`` / ``draw_choices`` applies the same rules; the tests check
that run frequencies match ``semantics.sample_paths``.

Roles with limited capacity have one FIFO queue each. A unit that finishes takes the head of the
queue if it is still on duty; at the end of a shift, work in progress is finished (the time past
the shift is recorded as overtime) and no new work starts; staff coming on duty take queued work.

This file is compiled with Cython when the package is installed (``setup.py``) and otherwise runs
as it is; the ``cython`` declarations give the hot variables C types when compiled and do nothing
in plain Python. Both give identical results (tests/simulation/test_compiled_engine.py).

Random numbers come in NumPy batches from independent streams per purpose (arrivals, each
action's durations and delays, decisions, patience), so two scenarios run with one seed see the
same customers and the same service times (common random numbers): differences between
scenarios are then differences of the scenarios, not of luck.
"""

from __future__ import annotations

import heapq
import math
from array import array
from bisect import bisect_right
from collections import deque
from collections.abc import Iterable, MutableSequence
from itertools import accumulate
from typing import Any, Protocol

import cython
import numpy as np

from ..quantities import Duration
from ..sampling import sample
from .arrivals import arrival_batches
from .model import SimModel
from .shifts import HOURS_OF_WEEK, WEEK
from .stats import Ledger, RunStats, hour_seconds

# True in the C extension setup.py builds from this file, False when it runs as plain Python.
COMPILED: bool = cython.compiled
# Event kinds and how an action's liveness is decided (C constants when compiled).
_FINISH: cython.Py_ssize_t = 0
_ARRIVAL: cython.Py_ssize_t = 1
_SHIFT: cython.Py_ssize_t = 2
_PATIENCE: cython.Py_ssize_t = 3
_SLOW: cython.Py_ssize_t = 0
_ALWAYS: cython.Py_ssize_t = 1
_IF_SOURCE_RAN: cython.Py_ssize_t = 2
_BATCH = 2048
_FLUSH = 65536  # case times per fold into histograms; execution records per fold: a quarter


@cython.cclass
class _Case:
    """One case in the system (compiled: a C struct; its fields are only visible to this module)."""

    pend: list[int]  # timing predecessors not yet resolved, per action (shared when none has two)
    ran: list[bool]  # per action
    pick: list[int]  # the branch each choice took
    arr: float  # arrival time
    cend: float  # end of the last customer-time action
    left: cython.Py_ssize_t  # actions not yet resolved
    no: cython.Py_ssize_t  # case number
    meas: cython.bint  # arrived inside the measured window
    alive: cython.bint  # not abandoned
    waiting: list[list[Any]]  # its queue entries, while patience is watched
    key: cython.Py_ssize_t  # the base of its heap keys: case number × (actions + 1)
    mk: cython.Py_ssize_t  # added to action indexes in execution records: 0 if measured, else n_act


class EventSink(Protocol):
    """Receives one call per action execution (an event log writer)."""

    def execution(self, case: int, action: int, start: float, end: float) -> None: ...

    def case_end(self, case: int) -> None: ...


class _Draws:
    """Batched draws of one distribution from its own stream, handed out one at a time."""

    __slots__ = ("buf", "dist", "repeat", "rng")

    def __init__(self, dist: Duration | None, rng: np.random.Generator, repeat: float = 0.0) -> None:
        self.dist = dist
        self.rng = rng
        self.repeat = repeat
        self.buf: list[float] = []

    def refill(self) -> float:
        if self.dist is None:
            self.buf = [0.0] * _BATCH
        else:
            self.buf = sample(self.dist, self.rng, _BATCH).tolist()
        return self.buf.pop()

    def parts(self) -> list[float]:
        """The durations of each execution of an action that may be redone (``repeat``)."""
        k = int(self.rng.geometric(1.0 - self.repeat)) if self.repeat > 0 else 1
        buf = self.buf
        return [buf.pop() if buf else self.refill() for _ in range(k)]


@cython.cclass
class _Calendar:
    """The future event list, popped in order of (time, key, kind); key and kind make every
    event's place unique, so a run is a pure function of its seed.

    Compiled, it is a binary heap over C arrays, so an event costs no tuple or float objects;
    as plain Python it is ``heapq`` on tuples, the fastest there. ``pop`` leaves the event in
    ``t``, ``kind``, ``obj`` and ``j``."""

    size: cython.Py_ssize_t
    room: cython.Py_ssize_t
    when = cython.declare(cython.double[:])
    rank = cython.declare(cython.longlong[:])  # key * 4 + kind: one integer to compare
    index = cython.declare(cython.longlong[:])
    items: list[Any]
    heap: list[tuple[float, int, int, Any, int]]
    t: float
    kind: cython.Py_ssize_t
    obj: Any
    j: cython.Py_ssize_t

    def __init__(self) -> None:
        self.size = 0
        self.room = 0
        self.items = []
        self.heap = []
        self.t = 0.0
        self.kind = 0
        self.obj = None
        self.j = 0
        if cython.compiled:
            self._grow()

    def _grow(self) -> None:
        room = max(2 * self.room, 64)
        when, rank, index = np.zeros(room), np.zeros(room, dtype=np.int64), np.zeros(room, dtype=np.int64)
        if self.room:
            when[: self.room] = self.when
            rank[: self.room] = self.rank
            index[: self.room] = self.index
        self.when, self.rank, self.index = when, rank, index
        self.items.extend([None] * (room - self.room))
        self.room = room

    @cython.cfunc
    @cython.boundscheck(False)
    @cython.wraparound(False)
    def push(self, t: float, key: cython.Py_ssize_t, kind: cython.Py_ssize_t, obj: Any,
             j: cython.Py_ssize_t) -> None:
        i: cython.Py_ssize_t
        p: cython.Py_ssize_t
        r: cython.Py_ssize_t
        if cython.compiled:
            if self.size == self.room:
                self._grow()
            when = cython.declare(cython.double[:], self.when)
            rank = cython.declare(cython.longlong[:], self.rank)
            index = cython.declare(cython.longlong[:], self.index)
            items = self.items
            r = key * 4 + kind
            i = self.size
            self.size = i + 1
            while i > 0:  # sift up
                p = (i - 1) >> 1
                if when[p] < t or (when[p] == t and rank[p] < r):
                    break
                when[i], rank[i], index[i], items[i] = when[p], rank[p], index[p], items[p]
                i = p
            when[i], rank[i], index[i], items[i] = t, r, j, obj
        else:
            heapq.heappush(self.heap, (t, key, kind, obj, j))

    @cython.cfunc
    @cython.boundscheck(False)
    @cython.wraparound(False)
    def pop(self) -> cython.bint:
        """Take the next event; False when there is none."""
        i: cython.Py_ssize_t
        c: cython.Py_ssize_t
        n: cython.Py_ssize_t
        lt: float
        lr: cython.Py_ssize_t
        if cython.compiled:
            n = self.size
            if not n:
                return False
            when = cython.declare(cython.double[:], self.when)
            rank = cython.declare(cython.longlong[:], self.rank)
            index = cython.declare(cython.longlong[:], self.index)
            items = self.items
            self.t, self.kind, self.j, self.obj = when[0], rank[0] & 3, index[0], items[0]
            n -= 1
            self.size = n
            lt, lr = when[n], rank[n]  # the last event moves down from the root
            i = 0
            while True:
                c = 2 * i + 1
                if c >= n:
                    break
                if c + 1 < n and (when[c + 1] < when[c] or (when[c + 1] == when[c] and rank[c + 1] < rank[c])):
                    c += 1
                if lt < when[c] or (lt == when[c] and lr < rank[c]):
                    break
                when[i], rank[i], index[i], items[i] = when[c], rank[c], index[c], items[c]
                i = c
            when[i], rank[i], index[i], items[i] = lt, lr, index[n], items[n]
            items[n] = None
            return True
        if not self.heap:
            return False
        self.t, _, self.kind, self.obj, self.j = heapq.heappop(self.heap)
        return True


@cython.boundscheck(False)
@cython.wraparound(False)
def run(model: SimModel, seed: np.random.SeedSequence, sink: EventSink | None = None) -> RunStats:
    """Simulate one replication; ``seed`` fixes every random draw.

    The ``cython`` declarations type the hot variables when the module is compiled (see
    docs/simulation.md); as plain Python they do nothing."""
    # C types when compiled: the event loop's scalars, and typed arrays below (cython.declare).
    n_act: cython.Py_ssize_t
    n_roles: cython.Py_ssize_t
    i: cython.Py_ssize_t
    j: cython.Py_ssize_t
    k: cython.Py_ssize_t
    r: cython.Py_ssize_t
    kind: cython.Py_ssize_t
    how: cython.Py_ssize_t
    new: cython.Py_ssize_t
    old: cython.Py_ssize_t
    case_no: cython.Py_ssize_t
    stride: cython.Py_ssize_t
    open_cases: cython.Py_ssize_t
    completed: cython.Py_ssize_t
    within: cython.Py_ssize_t
    finished_in_window: cython.Py_ssize_t
    t: float
    dur: float  # a duration, unboxed before adding (no float object for the sum)
    e: float
    span: float
    in_system: float
    meas: cython.bint
    c: _Case
    c2: _Case
    entry: list[Any]
    b: list[float]
    pend: list[int]
    nexts: tuple[int, ...]
    plan = model.plan
    n_act = plan.size
    n_roles = len(model.rosters)
    streams = seed.spawn(3 + 2 * n_act)
    gen = [np.random.Generator(np.random.PCG64(s)) for s in streams]
    rng_arrivals, rng_decide, rng_patience = gen[0], gen[1], gen[2]
    draws = [_Draws(plan.durations[i], gen[3 + i], plan.repeat[i]) for i in range(n_act)]
    dbufs: list[list[float]] = [d.buf for d in draws]  # refills replace the list: re-read after a refill
    delays = [_Draws(model.delay[i], gen[3 + n_act + i]) if model.delay[i] is not None else None
              for i in range(n_act)]
    patience = _Draws(model.patience, rng_patience) if model.patience is not None else None
    logging: cython.bint = sink is not None

    warm: float = model.warmup
    end: float = model.end
    stats = RunStats(window=end - warm)
    ledger = Ledger(model, records=_FLUSH // 4)
    # Execution records, written into the ledger's buffers: (code, start, end) of executions
    # that started the moment they were ready, (code, ready, start, end) of the others.
    now_buf = cython.declare(cython.double[:], ledger.now)
    late_buf = cython.declare(cython.double[:], ledger.late)
    n_now: cython.Py_ssize_t = 0
    n_late: cython.Py_ssize_t = 0
    now_room: cython.Py_ssize_t = len(ledger.now)
    late_room: cython.Py_ssize_t = len(ledger.late)

    # ---- static structure, as lists for fast indexing -------------------------------------
    succ: list[tuple[int, ...]] = [() for _ in range(n_act)]
    for j, preds in enumerate(plan.preds):
        for p in preds:
            succ[p] += (j,)
    npred = [len(p) for p in plan.preds]
    multi = cython.declare(cython.longlong[:], _flags(n > 1 for n in npred))
    roots: tuple[int, ...] = tuple(i for i in range(n_act) if not npred[i])
    plain_in = [tuple(f.source for f in plan.incoming[i] if f.choice < 0) for i in range(n_act)]
    choice_in = [tuple((f.source, f.choice, f.option) for f in plan.incoming[i] if f.choice >= 0)
                 for i in range(n_act)]
    prob = list(plan.p)
    choices_of = [tuple((ch, list(accumulate(plan.choices[ch].probabilities))) for ch in plan.choices_of[i])
                  for i in range(n_act)]
    # How liveness is decided: 0 always live (no incoming flow), 1 live when the one plain
    # incoming flow's source ran, 2 anything else (several flows, choices, own p).
    simple = [(0 if not plan.incoming[i] else 1 if len(plain_in[i]) == 1 and not choice_in[i] else 2)
              if prob[i] >= 1.0 and not choices_of[i] else 2 for i in range(n_act)]
    role_of = list(model.role_of)
    queued = list(model.queued)
    has_patience: cython.bint = patience is not None
    ctime = cython.declare(cython.longlong[:], _flags(plan.customer_time))
    qrole = cython.declare(cython.longlong[:], _ints(r if q else -1 for r, q in zip(role_of, queued, strict=True)))
    src1 = cython.declare(cython.longlong[:], _ints(plain_in[i][0] if simple[i] == 1 else -1 for i in range(n_act)))
    # Actions the inlined start handles: queued, done once (no rework), no log to write, and no
    # patience to watch. ``mode`` says how the inlined path decides liveness.
    fast = cython.declare(cython.longlong[:], _flags(False for _ in range(n_act)))
    for i in range(n_act):
        if queued[i] and plan.repeat[i] <= 0 and not logging and not (has_patience and ctime[i]):
            fast[i] = 1
    # The inlined path only sees successors of an action that ran, so an action whose one
    # predecessor is also its one plain incoming flow is live whenever it is reached there.
    follows_pred = [simple[i] == 1 and plan.preds[i] == (src1[i],) for i in range(n_act)]
    mode = cython.declare(cython.longlong[:], _ints(
        (_ALWAYS if simple[i] == 0 or follows_pred[i] else _IF_SOURCE_RAN if simple[i] == 1 else _SLOW)
        if fast[i] else _SLOW for i in range(n_act)))
    direct = cython.declare(cython.longlong[:], _flags(mode[i] == _ALWAYS and not multi[i] for i in range(n_act)))
    n_choices = max(len(plan.choices), 1)
    cust_measured: cython.bint = model.customer_measured
    tolerance: float = model.tolerance if model.tolerance is not None else math.inf

    # ---- role state ---------------------------------------------------------------------
    cap = cython.declare(cython.longlong[:], _ints(
        (1 << 60) if ros.unlimited else ros.capacity_at(model.start) for ros in model.rosters))
    busy = cython.declare(cython.longlong[:], _ints([0] * n_roles))
    queues: list[deque[list[Any]]] = [deque() for _ in range(n_roles)]  # [case, action, since]
    qlen = cython.declare(cython.longlong[:], _ints([0] * n_roles))
    max_queue = cython.declare(cython.longlong[:], _ints([0] * n_roles))
    over_since = cython.declare(cython.double[:], _floats([model.start] * n_roles))
    overtime = cython.declare(cython.double[:], _floats([0.0] * n_roles))
    extra_exec = cython.declare(cython.longlong[:], _ints([0] * n_act))  # beyond the first (rework)

    cal = _Calendar()
    ubuf: list[float] = []
    open_cases = 0

    def uniform() -> float:
        nonlocal ubuf
        if not ubuf:
            ubuf = rng_decide.random(_BATCH).tolist()
        return ubuf.pop()

    def duration(j: cython.Py_ssize_t) -> float:
        d: float = draws[j].refill()
        dbufs[j] = draws[j].buf
        return d

    def start(c: _Case, j: cython.Py_ssize_t, s: float, ready: float) -> None:
        """Start action ``j`` of case ``c`` at ``s`` (its unit, if any, is already taken)."""
        e: float
        t0: float
        if plan.repeat[j] > 0 or logging:
            parts = draws[j].parts()
            dbufs[j] = draws[j].buf
            if c.meas:
                extra_exec[j] += len(parts) - 1
            e = s + sum(parts)
            if sink is not None and c.meas:
                t0 = s
                for p in parts:
                    sink.execution(c.no, j, t0, t0 + p)
                    t0 += p
        else:
            b = dbufs[j]
            e = s + (b.pop() if b else duration(j))
        cal.push(e, c.key + j, _FINISH, c, j)
        record_late(j + c.mk, ready, s, e)

    def record_late(code: cython.Py_ssize_t, ready: float, s: float, e: float) -> None:
        nonlocal n_late
        late_buf[n_late] = code
        late_buf[n_late + 1] = ready
        late_buf[n_late + 2] = s
        late_buf[n_late + 3] = e
        n_late += 4
        if n_late == late_room:
            fold()

    def fold() -> None:
        nonlocal n_now, n_late
        ledger.fold(n_now // 3, n_late // 4)
        n_now = n_late = 0

    def enqueue(c: _Case, j: cython.Py_ssize_t, r: cython.Py_ssize_t, t: float) -> None:
        entry = [c, j, t]
        queues[r].append(entry)
        qlen[r] += 1
        if qlen[r] > max_queue[r] and warm <= t < end:
            max_queue[r] = qlen[r]
        if patience is not None and ctime[j]:
            c.waiting.append(entry)
            pb = patience.buf
            limit = pb.pop() if pb else patience.refill()
            cal.push(t + limit, c.key + j, _PATIENCE, entry, 0)

    def take_next(r: cython.Py_ssize_t, t: float) -> bool:
        """A unit of role ``r`` is free at ``t``: give it the head of the queue, if any."""
        c: _Case
        q = queues[r]
        while q:
            entry = q.popleft()
            c = entry[0]
            if c is None:  # the customer gave up waiting
                continue
            entry[0] = None  # no longer waiting: its patience no longer matters
            qlen[r] -= 1
            if has_patience and ctime[entry[1]]:
                c.waiting.remove(entry)
            start(c, entry[1], t, entry[2])
            return True
        return False

    # Case and customer time of each completed case, folded into statistics every _FLUSH cases.
    times = cython.declare(cython.double[:], _zeros(2 * _FLUSH))
    n_times: cython.Py_ssize_t = 0
    arrivals: cython.Py_ssize_t = 0

    def flush_times() -> None:
        nonlocal n_times
        if n_times:
            both = np.asarray(times[:n_times], dtype=np.float64).reshape(-1, 2)
            stats.case.add_many(both[:, 0])
            stats.customer.add_many(both[:, 1])
            n_times = 0
    completed = within = finished_in_window = 0
    in_system = 0.0

    def finish_case(c: _Case, t: float) -> None:
        nonlocal open_cases, completed, within, finished_in_window, in_system, n_times
        arr: float = c.arr
        case_t: float
        cust_t: float
        span: float
        open_cases -= 1
        if c.meas:
            completed += 1
            case_t = t - arr
            cust_t = (c.cend - arr) if cust_measured else case_t
            times[n_times] = case_t
            times[n_times + 1] = cust_t
            n_times += 2
            if cust_t <= tolerance:
                within += 1
            if t < end:
                finished_in_window += 1
            if n_times == 2 * _FLUSH:
                flush_times()
            if sink is not None:
                sink.case_end(c.no)
        span = (t if t < end else end) - (arr if arr > warm else warm)
        if span > 0:
            in_system += span

    def ready(c: _Case, j: cython.Py_ssize_t, t: float) -> bool:
        """Action ``j`` of case ``c`` is ready at ``t``: start, queue or skip it (the general
        rules of ``semantics.decide_live``). Returns True when it was skipped."""
        r: cython.Py_ssize_t
        ran = c.ran
        live = not plain_in[j] and not choice_in[j]
        for s in plain_in[j]:
            if ran[s]:
                live = True
                break
        if not live:
            picked = c.pick
            for s, ch, opt in choice_in[j]:
                if ran[s] and picked[ch] == opt:
                    live = True
                    break
        if live and prob[j] < 1.0:
            live = uniform() < prob[j]
        if not live:
            return True
        ran[j] = True
        for ch, cum in choices_of[j]:
            c.pick[ch] = min(bisect_right(cum, uniform()), len(cum) - 1)
        if queued[j]:
            r = role_of[j]
            if busy[r] < cap[r]:
                busy[r] += 1
                start(c, j, t, t)
            else:
                enqueue(c, j, r, t)
        else:
            dl = delays[j]
            if dl is None:
                start(c, j, t, t)
            else:
                db = dl.buf
                start(c, j, t + (db.pop() if db else dl.refill()), t)
        return False

    def resolve(c: _Case, i: cython.Py_ssize_t, t: float) -> None:
        """Action ``i`` of case ``c`` has resolved (finished or been skipped) at ``t``. The event
        loop, which called this, closes the case when nothing is left."""
        stack = [i]
        pend = c.pend
        ran = c.ran
        while stack:
            k = stack.pop()
            c.left -= 1
            if ran[k] and ctime[k] and t > c.cend:
                c.cend = t
            for j in succ[k]:
                if multi[j]:
                    pend[j] -= 1
                    if pend[j]:
                        continue
                if ready(c, j, t):
                    stack.append(j)

    def abandon(entry: list[Any], t: float) -> None:
        nonlocal open_cases, in_system
        c: _Case = entry[0]
        if c is None or not c.alive:
            return
        c.alive = False
        for w in c.waiting:
            r = role_of[w[1]]
            qlen[r] -= 1
            ledger.add_queue(r, w[2], t)
            w[0] = None
        c.waiting = []
        open_cases -= 1
        span = min(t, end) - max(c.arr, warm)
        if span > 0:
            in_system += span
        if c.meas:
            stats.abandoned += 1
            if sink is not None:
                sink.case_end(c.no)

    # ---- the calendar: shift changes and arrivals -------------------------------------------
    changes = [ros.changes() for ros in model.rosters]
    shift_k = cython.declare(cython.longlong[:], _ints([0] * n_roles))  # per role: its next change
    for r in range(n_roles):
        ch = changes[r]
        if ch:  # the first change after the start (the capacity at the start is already set)
            first = next((i for i, (at, _) in enumerate(ch) if at > model.start), None)
            shift_k[r] = first if first is not None else 0
            cal.push(ch[first][0] if first is not None else WEEK + ch[0][0], -2 - r, _SHIFT, None, r)
    batches = arrival_batches(model.rate, rng_arrivals, end, start=model.start)
    upcoming: list[float] = []  # the current batch of arrival times, reversed (pop the next)

    def next_arrival() -> None:
        nonlocal upcoming
        if not upcoming:
            upcoming = next(batches, [])
            upcoming.reverse()
        if upcoming:
            cal.push(upcoming.pop(), -1, _ARRIVAL, None, 0)

    next_arrival()
    case_no = 0
    template_pend = npred
    any_multi: cython.bint = bool(any(npred[i] > 1 for i in range(n_act)))
    choices_exist: cython.bint = bool(plan.choices)
    stride = n_act + 1
    template_ran = [False] * n_act
    template_pick = [-1] * n_choices
    no_waiting: list[list[Any]] = []  # (every case's, when nobody's patience is watched)
    hard_stop: float = end + model.drain

    while cal.pop():
        t, kind, j = cal.t, cal.kind, cal.j
        if t >= end and (not open_cases or t > hard_stop):
            break
        if kind == _FINISH:
            c = cal.obj
            r = qrole[j]
            if r >= 0:
                if busy[r] > cap[r]:  # overtime: this unit goes off duty as it finishes
                    span = min(t, end) - max(over_since[r], warm)
                    if span > 0:
                        overtime[r] += (busy[r] - cap[r]) * span
                    over_since[r] = t
                    busy[r] -= 1
                else:  # the unit takes the head of the queue (inlined take_next)
                    q = queues[r]
                    while q:
                        entry = q.popleft()
                        c2 = entry[0]
                        if c2 is None:  # that customer gave up waiting
                            continue
                        entry[0] = None
                        qlen[r] -= 1
                        k = entry[1]
                        if fast[k]:
                            b = dbufs[k]
                            dur = b.pop() if b else duration(k)
                            e = t + dur
                            cal.push(e, c2.key + k, _FINISH, c2, k)
                            late_buf[n_late] = k + c2.mk  # (record_late, written out)
                            late_buf[n_late + 1] = entry[2]
                            late_buf[n_late + 2] = t
                            late_buf[n_late + 3] = e
                            n_late += 4
                            if n_late == late_room:
                                fold()
                        else:
                            if has_patience and ctime[k]:
                                c2.waiting.remove(entry)
                            start(c2, k, t, entry[2])
                        break
                    else:
                        busy[r] -= 1
            if has_patience and not c.alive:
                continue
            # Inlined resolve of j and readiness of its successors: the path nearly every
            # execution takes. Anything unusual goes through ready()/resolve() above.
            if ctime[j] and t > c.cend:
                c.cend = t
            c.left -= 1
            nexts = succ[j]
        elif kind == _ARRIVAL:
            if upcoming:
                cal.push(upcoming.pop(), -1, _ARRIVAL, None, 0)
            else:
                next_arrival()
            case_no += 1
            meas = warm <= t
            c = _Case.__new__(_Case)
            c.pend = template_pend.copy() if any_multi else template_pend
            c.ran = template_ran.copy()
            c.pick = template_pick.copy() if choices_exist else template_pick
            c.arr = c.cend = t
            c.left = n_act
            c.no = case_no
            c.meas = meas
            c.alive = True
            c.waiting = [] if has_patience else no_waiting
            c.key = case_no * stride
            c.mk = 0 if meas else n_act
            open_cases += 1
            if meas:
                arrivals += 1
            nexts = roots
        elif kind == _SHIFT:
            r = j
            ch = changes[r]
            k = shift_k[r]
            new = ch[k][1]
            old = cap[r]
            span = min(t, end) - max(over_since[r], warm)
            if busy[r] > old and span > 0:
                overtime[r] += (busy[r] - old) * span
            over_since[r] = t
            cap[r] = new
            while busy[r] < new and queues[r]:
                busy[r] += 1
                if not take_next(r, t):
                    busy[r] -= 1
                    break
            k += 1
            if k < len(ch):
                shift_k[r] = k
                cal.push((t // WEEK) * WEEK + ch[k][0], -2 - r, _SHIFT, None, r)
            else:
                shift_k[r] = 0
                cal.push((t // WEEK + 1) * WEEK + ch[0][0], -2 - r, _SHIFT, None, r)
            continue
        else:  # PATIENCE
            abandon(cal.obj, t)
            continue
        for k in nexts:
            if not direct[k]:
                if multi[k]:
                    pend = c.pend
                    pend[k] -= 1
                    if pend[k]:
                        continue
                how = mode[k]
                if how == _SLOW:
                    if ready(c, k, t):
                        resolve(c, k, t)
                    continue
                if how == _IF_SOURCE_RAN and not c.ran[src1[k]]:
                    resolve(c, k, t)
                    continue
            c.ran[k] = True
            r = qrole[k]
            if busy[r] < cap[r]:
                busy[r] += 1
                b = dbufs[k]
                dur = b.pop() if b else duration(k)
                e = t + dur
                cal.push(e, c.key + k, _FINISH, c, k)
                now_buf[n_now] = k + c.mk  # an execution record, as in record_late without ready
                now_buf[n_now + 1] = t
                now_buf[n_now + 2] = e
                n_now += 3
                if n_now == now_room:
                    fold()
            else:
                queues[r].append([c, k, t])
                qlen[r] += 1
                if qlen[r] > max_queue[r] and warm <= t < end:
                    max_queue[r] = qlen[r]
        if not c.left:
            finish_case(c, t)

    # ---- close the books --------------------------------------------------------------
    fold()
    stats.unfinished = open_cases
    stats.completed, stats.within, stats.finished_in_window = completed, within, finished_in_window
    stats.in_system = in_system
    for r in range(n_roles):
        for w in queues[r]:
            if w[0] is not None:
                ledger.add_queue(r, w[2], end)
    flush_times()
    stats.arrivals = arrivals
    stats.runs = ledger.runs
    stats.executions = ledger.runs + np.asarray(extra_exec, dtype=np.float64)
    stats.waited = ledger.waited
    stats.wait_sum = ledger.wait_sum
    stats.wait_max = ledger.wait_max
    stats.delay_sum = ledger.delay_sum
    stats.busy = ledger.busy.reshape(n_roles, HOURS_OF_WEEK)
    stats.queue = ledger.queue.reshape(n_roles, HOURS_OF_WEEK)
    stats.on_duty = np.array([ros.on_duty_seconds(warm, end) for ros in model.rosters]).reshape(
        n_roles, HOURS_OF_WEEK)
    stats.hour_seconds = hour_seconds(warm, end)
    stats.max_queue = np.asarray(max_queue, dtype=np.float64)
    stats.overtime = np.asarray(overtime, dtype=np.float64)
    stats.fixed_cost = float((stats.executions * ledger.fixed).sum())
    return stats


def _ints(values: Iterable[int]) -> MutableSequence[int]:
    """Integers for a typed memoryview when compiled; a list, faster to index, in plain Python."""
    return array("q", values) if COMPILED else list(values)


def _floats(values: Iterable[float]) -> MutableSequence[float]:
    """Like ``_ints``, for doubles."""
    return array("d", values) if COMPILED else list(values)


def _zeros(n: int) -> MutableSequence[float]:
    """``n`` zero doubles, made in one piece (an array from a list converts item by item)."""
    return array("d", bytes(8 * n)) if COMPILED else [0.0] * n


def _flags(values: Iterable[object]) -> MutableSequence[int]:
    """Per-action yes/no facts as 0/1 integers."""
    return _ints(1 if v else 0 for v in values)
