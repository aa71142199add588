// Loaded into the tslab kernel with `node --require` (see kernel.sh).
//
// tslab never awaits zeromq's send(). After 512 unawaited sends zeromq defers one and throws EBUSY for the rest,
// which tslab swallows: cell output and even the final "idle" status are lost. With sendTimeout = 0 on the
// kernel's outgoing sockets every send completes at once. A publisher also drops messages silently past its
// high-water mark (1,000 by default) when the client reads more slowly than a cell prints: no limit (0) here.
"use strict";
const path = require("node:path");

const tslabDir = path.dirname(require.resolve("tslab/package.json", { paths: [process.cwd(), __dirname] }));
const zmq = require(require.resolve("zeromq", { paths: [tslabDir] }));

// zeromq's socket prototypes are read-only, but its exports are not: tslab looks them up when it starts.
for (const name of ["Publisher", "Router"]) {
  const Base = zmq[name];
  zmq[name] = class extends Base {
    constructor(options) {
      super({ ...options, sendTimeout: 0, sendHighWaterMark: 0 });
    }
  };
}
