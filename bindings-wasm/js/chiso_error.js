// The error every chiso function throws on misuse. A real `Error` subclass, so `instanceof Error`,
// stack traces and `message` work as usual; `code` is stable (the core's error codes plus the
// binding's own) and is what programs should test.
export class ChisoError extends Error {
  constructor(code, message) {
    super(message);
    this.name = "ChisoError";
    this.code = code;
  }
}
