/** A command line that cannot be understood (exit code 64, `EXIT_CODES.usage`). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
