// Part of Yizhuang. The onnxruntime peer of bench/cnn_host.py: loads an
// ONNX model in onnxruntime-node (npm install onnxruntime-node
// --ignore-scripts; NODE_PATH points at its node_modules), runs it on a raw
// float32 input, writes the first output (raw float32) and prints the best
// of timed runs after a warm-up, as JSON.
//   node ort_time.js MODEL INPUT.bin 1x3x224x224 THREADS OUTPUT.bin SECONDS
const ort = require('onnxruntime-node');
const fs = require('fs');

async function main() {
  const [model, input, shape, threads, output, seconds] =
      process.argv.slice(2);
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: Number(threads),
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  const bytes = fs.readFileSync(input);
  const data = new Float32Array(bytes.buffer, bytes.byteOffset,
                                bytes.length / 4);
  const feeds = {
    [session.inputNames[0]]:
        new ort.Tensor('float32', data, shape.split('x').map(Number)),
  };
  let result = await session.run(feeds);
  const y = result[session.outputNames[0]].data;
  fs.writeFileSync(output, Buffer.from(y.buffer, y.byteOffset, y.byteLength));
  for (let i = 0; i < 3; ++i)
    await session.run(feeds);
  let best = Infinity;
  const end = performance.now() + 1000 * Number(seconds);
  for (let runs = 0; runs < 3 || performance.now() < end; ++runs) {
    const t = performance.now();
    await session.run(feeds);
    best = Math.min(best, performance.now() - t);
  }
  console.log(JSON.stringify({best_ms: best, version: ort.env.versions.common}));
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
