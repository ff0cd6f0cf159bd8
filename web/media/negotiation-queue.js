// Renegotiations of one peer connection run one after another (DESIGN.md §9: offer → answer →
// next). Each task starts only when the previous one has settled; a failed task does not block the
// ones queued behind it.

export class NegotiationQueue {
  #tail = Promise.resolve();

  /** Runs task() after every earlier task has settled; resolves or rejects with its result. */
  run(task) {
    const result = this.#tail.then(task);
    this.#tail = result.catch(() => {});
    return result;
  }
}
