// Drives a running Spillway with the official openai Node SDK, as an application would, and prints one JSON line per
// check ({"check": name, ...facts}); exits 1 at the first check that fails. NodeSdkTest starts the gateway (in front
// of a PTU and a PAYG simulator for model gpt-4o, backends "ptu" and "payg"), creates the keys and asserts on the
// printed facts as well as on the gateway's own records.
//
// Usage: node sdk-check.mjs --url http://127.0.0.1:PORT --key KEY --other-key KEY_OF_A_SECOND_CONSUMER
import OpenAI, { AzureOpenAI, toFile } from "openai";
import WebSocket from "ws";

function arg(name) {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0 || i + 1 >= process.argv.length) {
    throw new Error(`missing --${name}`);
  }
  return process.argv[i + 1];
}

const url = arg("url");
const key = arg("key");
const otherKey = arg("other-key");
const model = "gpt-4o";
const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: key, maxRetries: 0 });
const other = new OpenAI({ baseURL: `${url}/v1`, apiKey: otherKey, maxRetries: 0 });

function report(check, facts) {
  console.log(JSON.stringify({ check, ...facts }));
}

function expect(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

async function admin(path) {
  const r = await fetch(`${url}/admin/backends/${path}`, { method: "POST" });
  expect(r.ok, `admin ${path}: ${r.status} ${await r.text()}`);
}

async function notFound(call) {
  try {
    await call();
  } catch (e) {
    return e instanceof OpenAI.NotFoundError ? e.status : `unexpected ${e.constructor.name} ${e.status}`;
  }
  return "found";
}

async function plain() {
  const { data, response } = await client.responses
    .create({ model, input: "Say hello to the gateway", max_output_tokens: 40 })
    .withResponse();
  expect(data.id && data.object === "response", `not a response: ${JSON.stringify(data).slice(0, 200)}`);
  expect(data.output_text.length > 0, "no output_text");
  expect(data.usage.input_tokens > 0 && data.usage.output_tokens > 0, `usage ${JSON.stringify(data.usage)}`);
  report("plain", { id: data.id, backend: response.headers.get("x-spillway-backend"), usage: data.usage });
  return data;
}

async function streamed() {
  const stream = await client.responses.create({ model, input: "Count to five", stream: true, max_output_tokens: 30 });
  const types = [];
  let text = "";
  let final = null;
  for await (const event of stream) {
    types.push(event.type);
    if (event.type === "response.output_text.delta") {
      text += event.delta;
    }
    if (event.type === "response.completed" || event.type === "response.incomplete") {
      final = event.response;
    }
  }
  expect(types[0] === "response.created", `first event ${types[0]}`);
  expect(final !== null, `no final event in ${types.join(",")}`);
  const finalText = final.output.flatMap((item) => item.content ?? []).map((part) => part.text ?? "").join("");
  expect(text.length > 0 && text === finalText, `the deltas (${text.length} chars) are not the final text (${finalText.length})`);
  report("stream", { id: final.id, events: types.length, first: types[0], last: types[types.length - 1],
    usage: final.usage });
  return final;
}

/** The first call spills (the PTU is forced open), the second continues it: it must reach the same backend. */
async function continuedAfterSpill() {
  await admin("ptu/force-open");
  let first;
  try {
    first = await client.responses.create({ model, input: "Remember the number 7", max_output_tokens: 20 }).withResponse();
  } finally {
    await admin("ptu/reset");
  }
  const second = await client.responses
    .create({ model, input: "Which number?", previous_response_id: first.data.id, max_output_tokens: 20 })
    .withResponse();
  const fresh = await client.responses.create({ model, input: "A new talk", max_output_tokens: 20 }).withResponse();
  const facts = {
    first: first.response.headers.get("x-spillway-backend"),
    second: second.response.headers.get("x-spillway-backend"),
    fresh: fresh.response.headers.get("x-spillway-backend"),
    secondInputTokens: second.data.usage.input_tokens,
    firstId: first.data.id,
  };
  expect(facts.first === "payg" && facts.second === "payg" && facts.fresh === "ptu", JSON.stringify(facts));
  report("previous_response_id", facts);
  return first.data;
}

async function retrieveAndItems(id) {
  const again = await client.responses.retrieve(id);
  expect(again.id === id, `retrieved ${again.id}`);
  const items = await client.responses.inputItems.list(id);
  expect(items.data.length > 0, "no input items");
  report("retrieve", { id, status: again.status, inputItems: items.data.length });
}

async function ownership(id) {
  const facts = {
    retrieve: await notFound(() => other.responses.retrieve(id)),
    inputItems: await notFound(() => other.responses.inputItems.list(id)),
    delete: await notFound(() => other.responses.delete(id)),
    continue: await notFound(() => other.responses.create({ model, input: "hi", previous_response_id: id })),
  };
  expect(Object.values(facts).every((s) => s === 404), JSON.stringify(facts));
  const still = await client.responses.retrieve(id); // the owner's object survived the other caller's delete
  expect(still.id === id, "the owner lost its response");
  report("ownership", facts);
}

async function deleted(id) {
  await client.responses.delete(id);
  const after = await notFound(() => client.responses.retrieve(id));
  expect(after === 404, `after delete: ${after}`);
  report("delete", { id, afterDelete: after });
}

async function azure() {
  const az = new AzureOpenAI({ endpoint: url, apiKey: key, apiVersion: "2025-04-01-preview", maxRetries: 0 });
  const r = await az.responses.create({ model, input: "Hello from the Azure client", max_output_tokens: 20 });
  expect(r.id && r.output_text.length > 0, "the Azure client got no response");
  const again = await az.responses.retrieve(r.id);
  expect(again.id === r.id, "the Azure client could not retrieve it");
  report("azure", { id: r.id, usage: r.usage });
}

/**
 * One text turn over a realtime WebSocket (the `ws` package, as the SDK's own realtime client uses; that client always
 * dials wss://, and this gateway listens on plain HTTP): the response's usage comes back in response.done.
 */
async function realtime() {
  const socket = new WebSocket(`${url.replace(/^http/, "ws")}/v1/realtime?model=gpt-4o-realtime`,
    { headers: { Authorization: `Bearer ${key}` } });
  let text = "";
  const done = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no response.done within 20 s")), 20_000);
    socket.on("error", (err) => { clearTimeout(timer); reject(err); });
    socket.on("message", (data) => {
      const event = JSON.parse(data.toString());
      if (event.type === "response.output_text.delta") {
        text += event.delta;
      } else if (event.type === "error") {
        clearTimeout(timer);
        reject(new Error(JSON.stringify(event)));
      } else if (event.type === "response.done") {
        clearTimeout(timer);
        resolve(event);
      }
    });
  });
  await new Promise((resolve, reject) => { socket.once("open", resolve); socket.once("error", reject); });
  socket.send(JSON.stringify({ type: "conversation.item.create",
    item: { type: "message", role: "user", content: [{ type: "input_text", text: "Say hello over realtime" }] } }));
  socket.send(JSON.stringify({ type: "response.create" }));
  const event = await done;
  const closed = new Promise((resolve) => socket.once("close", (code) => resolve(code)));
  socket.close(1000, "bye");
  const code = await closed;
  const usage = event.response.usage;
  expect(usage && usage.output_tokens > 0 && text.length > 0, `realtime usage ${JSON.stringify(usage)}, text ${text.length}`);
  report("realtime", { usage, chars: text.length, closeCode: code });
}

async function images() {
  const r = await client.images.generate({ model: "gpt-image-1", prompt: "a lighthouse at dawn", size: "1024x1024",
    quality: "low" });
  const png = Buffer.from(r.data[0].b64_json, "base64");
  expect(png.subarray(1, 4).toString("latin1") === "PNG", "not a PNG");
  report("images", { bytes: png.length, usage: r.usage ?? null });
}

async function speech() {
  const r = await client.audio.speech.create({ model: "tts", voice: "alloy", input: "Hello from the gateway.",
    response_format: "wav" });
  const wav = Buffer.from(await r.arrayBuffer());
  expect(wav.subarray(0, 4).toString("latin1") === "RIFF" && wav.readUInt32LE(4) + 8 === wav.length,
    `not a whole WAV (${wav.length} bytes)`);
  report("speech", { bytes: wav.length, contentType: r.headers.get("content-type") });
}

/** One second of a 440 Hz tone as a 16 kHz mono 16-bit WAV, made here. */
function wav() {
  const rate = 16000;
  const samples = rate;
  const out = Buffer.alloc(44 + samples * 2);
  out.write("RIFF", 0, "latin1");
  out.writeUInt32LE(36 + samples * 2, 4);
  out.write("WAVEfmt ", 8, "latin1");
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20);
  out.writeUInt16LE(1, 22);
  out.writeUInt32LE(rate, 24);
  out.writeUInt32LE(rate * 2, 28);
  out.writeUInt16LE(2, 32);
  out.writeUInt16LE(16, 34);
  out.write("data", 36, "latin1");
  out.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) {
    out.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate)), 44 + i * 2);
  }
  return out;
}

async function transcription() {
  const r = await client.audio.transcriptions.create({ model: "whisper", file: await toFile(wav(), "tone.wav") });
  expect(typeof r.text === "string" && r.text.length > 0, `no transcript: ${JSON.stringify(r)}`);
  report("transcription", { chars: r.text.length, usage: r.usage ?? null });
}

async function filesAndBatch() {
  const lines = ["red", "green"].map((c, i) => JSON.stringify({ custom_id: `req-${i}`, method: "POST",
    url: "/v1/chat/completions", body: { model, messages: [{ role: "user", content: `Say ${c}.` }], max_tokens: 10 } }));
  const file = await client.files.create({ file: await toFile(Buffer.from(lines.join("\n") + "\n"), "batch.jsonl"),
    purpose: "batch" });
  expect(file.id && file.purpose === "batch", `not a file: ${JSON.stringify(file)}`);
  let batch = await client.batches.create({ input_file_id: file.id, endpoint: "/v1/chat/completions",
    completion_window: "24h" });
  for (let i = 0; i < 20 && batch.status !== "completed"; i++) {
    batch = await client.batches.retrieve(batch.id);
  }
  expect(batch.status === "completed", `batch ${batch.status}`);
  const content = await (await client.files.content(batch.output_file_id)).text();
  const results = content.trim().split("\n").map((l) => JSON.parse(l));
  expect(results.every((r) => r.response && r.response.status_code === 200), `failed lines: ${content.slice(0, 300)}`);
  const mine = [];
  for await (const f of client.files.list()) {
    mine.push(f.id);
  }
  const theirs = [];
  for await (const f of other.files.list()) {
    theirs.push(f.id);
  }
  const theirBatches = [];
  for await (const b of other.batches.list()) {
    theirBatches.push(b.id);
  }
  report("batch", {
    status: batch.status,
    completed: batch.request_counts.completed,
    lines: results.length,
    promptTokens: results.reduce((n, r) => n + r.response.body.usage.prompt_tokens, 0),
    completionTokens: results.reduce((n, r) => n + r.response.body.usage.completion_tokens, 0),
    mine,
    file: file.id,
    output: batch.output_file_id,
    theirs,
    theirBatches,
    otherFile: await notFound(() => other.files.retrieve(file.id)),
    otherBatch: await notFound(() => other.batches.retrieve(batch.id)),
    otherContent: await notFound(() => other.files.content(batch.output_file_id)),
  });
}

try {
  const first = await plain();
  await streamed();
  const spilled = await continuedAfterSpill();
  await retrieveAndItems(spilled.id);
  await ownership(spilled.id);
  await deleted(first.id);
  await azure();
  await realtime();
  await images();
  await speech();
  await transcription();
  await filesAndBatch();
  report("done", { ok: true });
} catch (e) {
  console.log(JSON.stringify({ check: "failed", error: String(e && e.stack ? e.stack : e) }));
  process.exit(1);
}
