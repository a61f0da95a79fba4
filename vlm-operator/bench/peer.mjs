// transformers.js peer for the VLM engine benchmark: same model directory, frame and prompts.
import { AutoProcessor, AutoModelForVision2Seq, RawImage, env } from '@huggingface/transformers';
import path from 'node:path';
const [modelDir, image, newTokens = '64', iterations = '1', split = 'false'] = process.argv.slice(2);
env.allowRemoteModels = false;
env.localModelPath = path.dirname(path.resolve(modelDir)) + '/';
const id = path.basename(modelDir);
const external = (await import('node:fs')).existsSync(path.join(modelDir, 'onnx/decoder_model_merged.onnx_data'));
const processor = await AutoProcessor.from_pretrained(id);
const model = await AutoModelForVision2Seq.from_pretrained(id, { dtype: 'fp32', device: 'cpu', use_external_data_format: external });
const img = await RawImage.read(image);
const opts = { do_image_splitting: split === 'true' };
async function prep(q) {
  const messages = [{ role: 'user', content: [{ type: 'image' }, { type: 'text', text: q }] }];
  const text = processor.apply_chat_template(messages, { add_generation_prompt: true });
  return await processor(text, [img], opts);
}
async function describe() {
  const t = performance.now();
  const inputs = await prep('Describe the image.');
  const out = await model.generate({ ...inputs, max_new_tokens: +newTokens, min_new_tokens: +newTokens, do_sample: false });
  return [performance.now() - t, out.dims[1] - inputs.input_ids.dims[1]];
}
async function score() {
  const t = performance.now();
  const inputs = await prep('Is there a person in the scene?');
  const out = await model.generate({ ...inputs, max_new_tokens: 1, do_sample: false, output_scores: true, return_dict_in_generate: true });
  return performance.now() - t;
}
await describe(); await score(); // warm-up
// Process CPU time (all threads) next to wall time: steadier on a shared machine.
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
let d = 0, s = 0, n = 0, dc = 0, sc = 0;
for (let i = 0; i < +iterations; i++) {
  let c = cpuMs();
  const [ms, k] = await describe(); d += ms; n = k; dc += cpuMs() - c;
  c = cpuMs();
  s += await score(); sc += cpuMs() - c;
}
console.log(JSON.stringify({ peer: 'transformers.js', describe_ms: d / iterations, describe_cpu_ms: dc / iterations,
  describe_tokens: n, score_ms: s / iterations, score_cpu_ms: sc / iterations }));
