// SPDX-License-Identifier: Apache-2.0
// A wasi:cli/run program in JavaScript that prints with console.log.
export const run = {
  run() {
    console.log("hello from JavaScript");
    console.log("2 + 3 =", 2 + 3, [1, 2, 3].map((x) => x * x).join(","));
  },
};
