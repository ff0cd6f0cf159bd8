// A manual clock for node tests (test-only; no production module imports it): timers fire only
// when a test advances time, in due order, and the test's `settle` runs after each one so all
// the protocol work a timer starts finishes before the next timer fires.

export class FakeClock {
  #now = 1_000_000;
  #nextId = 1;
  #timers = new Map();

  now = () => this.#now;

  setTimeout = (fn, ms) => {
    const id = this.#nextId++;
    this.#timers.set(id, { due: this.#now + Math.max(0, ms), fn, id });
    return id;
  };

  clearTimeout = (id) => {
    this.#timers.delete(id);
  };

  get pendingTimers() {
    return this.#timers.size;
  }

  /** Moves time forward by ms, firing due timers one by one; `settle` runs after each. */
  async advance(ms, settle = async () => {}) {
    const target = this.#now + ms;
    await settle(); // work queued before the call arms its timers at the current time
    for (;;) {
      let next = null;
      for (const timer of this.#timers.values()) {
        if (timer.due <= target && (next === null || timer.due < next.due || (timer.due === next.due && timer.id < next.id))) next = timer;
      }
      if (next === null) break;
      this.#timers.delete(next.id);
      this.#now = next.due;
      next.fn();
      await settle();
    }
    this.#now = target;
    await settle();
  }
}
