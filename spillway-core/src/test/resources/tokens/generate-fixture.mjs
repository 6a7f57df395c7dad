// Generates fixture.jsonl: request / prompt_tokens pairs for TokenEstimatorFixtureTest.
//
// The expected numbers do NOT come from Spillway's estimator. They come from
//   * the OpenAI API itself, where a published source printed usage.prompt_tokens for a request
//     (the cookbook "How to count tokens with tiktoken" and a measured vision table), and
//   * otherwise from the official counting rules re-implemented here, in JavaScript, on OpenAI's
//     own tokenizer (the `tiktoken` npm package: WASM build of OpenAI's Rust tiktoken core, with its
//     own model -> encoding table), not on jtokkit. Image sizes are the ones this script builds the
//     image bytes with, never read back from the bytes.
// Cases whose rule is an approximation (tool definitions, tool calls, images of unknown size) carry
// "approximate": true; the Java test keeps them out of its 99 % gate.
//
// Run (offline once the package is installed; not part of the build):
//   mkdir -p /tmp/tokgen && cd /tmp/tokgen && npm install tiktoken@1.0.22
//   TOKGEN_DIR=/tmp/tokgen node generate-fixture.mjs > fixture.jsonl
import { createRequire } from "node:module";
import path from "node:path";
import zlib from "node:zlib";

const require = createRequire(path.join(process.env.TOKGEN_DIR ?? process.cwd(), "package.json"));
const { get_encoding, get_encoding_name_for_model } = require("tiktoken");

const ENCODINGS = { o200k_base: get_encoding("o200k_base"), cl100k_base: get_encoding("cl100k_base") };

function encodingName(model) {
  try {
    return get_encoding_name_for_model(model);
  } catch {
    return "o200k_base"; // cookbook: "model not found. Using o200k_base encoding."
  }
}
const tok = (model, s) => ENCODINGS[encodingName(model)].encode_ordinary(s).length;

// ---- rules -------------------------------------------------------------------------------------

const RULE_MESSAGES = "cookbook num_tokens_from_messages: 3/msg + tokens of every string field + 1/name + 3 priming";
const RULE_PARTS = RULE_MESSAGES + "; content parts: text parts as text";
const RULE_IMAGE =
  "vision guide: low = 85; high/auto: fit 2048x2048, shortest side to 768 (no upscaling), 170 per 512px tile + 85; size from the generated image";
const RULE_IMAGE_MINI = "vision pricing for gpt-4o-mini: base 2833, 5667 per tile (same tile rule); size from the generated image";
const RULE_IMAGE_UNKNOWN = "ASSUMPTION (Spillway): image of unknown size (http URL or unreadable bytes) counted as 1024x1024 high = 4 tiles";
const RULE_TOOL_CALLS = "APPROXIMATION (Spillway): tool_calls count tokens(function.name) + tokens(arguments), no per-call overhead";
const RULE_TOOLS =
  "APPROXIMATION cookbook num_tokens_for_tools: func_init 7 (o200k) / 10 (cl100k), prop_init 3, prop_key 3, enum_init -3, enum_item 3, func_end 12";
const RULE_COMPLETIONS = "completions: sum of prompt token counts (token arrays by length), no overhead";
const RULE_EMBEDDINGS = "embeddings: sum of input token counts (token arrays by length), no overhead";

function imageRates(model) {
  return model.startsWith("gpt-4o-mini") ? [2833, 5667] : [85, 170];
}

// Straight from the vision guide's prose, in floating point.
function imageTokens(model, detail, w, h) {
  const [base, tile] = imageRates(model);
  if (detail === "low") return base;
  if (Math.max(w, h) > 2048) {
    const s = 2048 / Math.max(w, h);
    w *= s;
    h *= s;
  }
  if (Math.min(w, h) > 768) {
    const s = 768 / Math.min(w, h);
    w *= s;
    h *= s;
  }
  return base + tile * Math.ceil(w / 512) * Math.ceil(h / 512);
}

// Sizes of the images this script made, by URL: the rule gets them from here, not from the bytes.
const IMAGE_SIZES = new Map();

function numTokensFromMessages(messages, model) {
  let n = 0;
  for (const message of messages) {
    n += 3;
    for (const [key, value] of Object.entries(message)) {
      if (typeof value === "string") {
        n += tok(model, value);
        if (key === "name") n += 1;
      } else if (key === "content" && Array.isArray(value)) {
        for (const part of value) {
          if (part.type === "text") n += tok(model, part.text);
          else if (part.type === "image_url") {
            const size = IMAGE_SIZES.get(part.image_url.url) ?? [1024, 1024];
            n += imageTokens(model, part.image_url.detail ?? "auto", size[0], size[1]);
          }
        }
      } else if (key === "tool_calls") {
        for (const call of value) n += tok(model, call.function.name) + tok(model, call.function.arguments);
      }
    }
  }
  return n + 3;
}

function numTokensForTools(tools, model) {
  const cl100k = encodingName(model) === "cl100k_base";
  const funcInit = cl100k ? 10 : 7;
  let n = 0;
  for (const t of tools) {
    const f = t.function;
    n += funcInit;
    n += tok(model, f.name + ":" + (f.description ?? "").replace(/\.$/, ""));
    const props = f.parameters?.properties ?? {};
    if (Object.keys(props).length > 0) {
      n += 3;
      for (const [key, p] of Object.entries(props)) {
        n += 3;
        if (p.enum) {
          n += -3;
          for (const item of p.enum) n += 3 + tok(model, String(item));
        }
        n += tok(model, `${key}:${p.type ?? ""}:${(p.description ?? "").replace(/\.$/, "")}`);
        if (p.properties) n += tok(model, JSON.stringify(p.properties));
        if (p.items) n += tok(model, JSON.stringify(p.items));
      }
    }
  }
  return tools.length > 0 ? n + 12 : 0;
}

function sumInput(model, input) {
  if (typeof input === "string") return tok(model, input);
  if (typeof input === "number") return 1;
  return input.reduce((a, x) => a + (Array.isArray(x) ? x.length : sumInput(model, x)), 0);
}

// ---- images ------------------------------------------------------------------------------------

function crc32(buf) {
  let c,
    crc = 0xffffffff;
  for (const b of buf) {
    c = (crc ^ b) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
function pngChunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(w, h, complete) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const parts = [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk("IHDR", ihdr)];
  if (complete) parts.push(pngChunk("IDAT", zlib.deflateSync(Buffer.alloc((w * 3 + 1) * h))));
  parts.push(pngChunk("IEND", Buffer.alloc(0)));
  return Buffer.concat(parts);
}
function jpeg(w, h, exifBytes) {
  const seg = (marker, data) => {
    const len = Buffer.alloc(2);
    len.writeUInt16BE(data.length + 2);
    return Buffer.concat([Buffer.from([0xff, marker]), len, data]);
  };
  const sof = Buffer.alloc(15);
  sof.writeUInt8(8, 0);
  sof.writeUInt16BE(h, 1);
  sof.writeUInt16BE(w, 3);
  sof.set([3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1], 5);
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    seg(0xe0, Buffer.from("JFIF\0\x01\x01\0\0\x01\0\x01\0\0", "binary")),
    seg(0xe1, Buffer.concat([Buffer.from("Exif\0\0"), Buffer.alloc(exifBytes, 0x2a)])),
    seg(0xdb, Buffer.alloc(65, 1)),
    seg(0xc0, sof),
    Buffer.from([0xff, 0xd9]),
  ]);
}
function gif(w, h) {
  const b = Buffer.alloc(13);
  b.write("GIF89a", 0, "ascii");
  b.writeUInt16LE(w, 6);
  b.writeUInt16LE(h, 8);
  return Buffer.concat([b, Buffer.from([0x3b])]);
}
function webpVp8x(w, h) {
  const b = Buffer.alloc(30);
  b.write("RIFF", 0, "ascii");
  b.writeUInt32LE(22, 4);
  b.write("WEBPVP8X", 8, "ascii");
  b.writeUInt32LE(10, 16);
  b.writeUIntLE(w - 1, 24, 3);
  b.writeUIntLE(h - 1, 27, 3);
  return b;
}
function webpVp8l(w, h) {
  const b = Buffer.alloc(30);
  b.write("RIFF", 0, "ascii");
  b.writeUInt32LE(22, 4);
  b.write("WEBPVP8L", 8, "ascii");
  b.writeUInt32LE(5, 16);
  b.writeUInt8(0x2f, 20);
  b.writeUInt32LE(((w - 1) | ((h - 1) << 14)) >>> 0, 21);
  return b;
}
function webpVp8(w, h) {
  const b = Buffer.alloc(30);
  b.write("RIFF", 0, "ascii");
  b.writeUInt32LE(22, 4);
  b.write("WEBPVP8 ", 8, "ascii");
  b.writeUInt32LE(10, 16);
  b.set([0x9d, 0x01, 0x2a], 23);
  b.writeUInt16LE(w, 26);
  b.writeUInt16LE(h, 28);
  return b;
}
function dataUrl(mime, bytes, w, h) {
  const url = `data:${mime};base64,${bytes.toString("base64")}`;
  IMAGE_SIZES.set(url, [w, h]);
  return url;
}

// ---- corpus ------------------------------------------------------------------------------------

function words(seed, count) {
  const vocab = ("the quick brown fox jumps over lazy dog gateway token budget spill backend region latency " +
    "throughput quota window consumer team model deployment prompt completion stream usage estimate " +
    "Azure OpenAI PTU pay-as-you-go retry circuit breaker 42 3.14 2025-01-01 naïve café résumé").split(" ");
  let x = seed;
  const out = [];
  for (let i = 0; i < count; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out.push(vocab[x % vocab.length]);
    if (x % 17 === 0) out.push("\n");
  }
  return out.join(" ");
}

const TEXTS = [
  ["english", "Hello, world! How are you doing today?"],
  ["question", "What's the capital of France, and why isn't it Lyon?"],
  ["contractions", "I'LL tell you: they're here, we've gone, she'd DO it, it's fine."],
  ["numbers", "Order 1234567890 shipped 2025-03-14 at 09:26:53 for $1,299.99 (tax 8.875%)."],
  ["code", "def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n\nprint([fib(i) for i in range(10)])"],
  ["json", '{"id": 7, "tags": ["a", "b"], "nested": {"ok": true, "ratio": 0.25}}'],
  ["whitespace", "  leading and trailing   \n\n\n\tindented\t\ttabs    \n   "],
  ["cjk", "お誕生日おめでとう。今日はとても良い天気ですね。我们明天去北京吧！"],
  ["korean", "안녕하세요, 만나서 반갑습니다. 오늘 날씨가 좋네요."],
  ["arabic", "مرحبا بالعالم، كيف حالك اليوم؟"],
  ["hindi", "नमस्ते दुनिया, आप कैसे हैं?"],
  ["cyrillic", "Съешь же ещё этих мягких французских булок, да выпей чаю."],
  ["emoji", "I love it 😀😃😄 🚀🔥 👍🏽 👨‍👩‍👧‍👦 🇫🇷🇯🇵 ❤️"],
  ["special-token-text", "Ignore <|endoftext|> and <|im_start|>system<|im_end|> markers; they are text."],
  ["url", "See https://example.com/path/to/page?query=1&sort=desc#section-2 for details."],
  ["markdown", "# Title\n\n- item **bold**\n- item _italic_\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"],
  ["repeated", "a".repeat(3000)],
  ["digits", "3141592653589793238462643383279502884197169399375105820974944592307816406286"],
  ["mixed-scripts", "Grüße aus München — ça va? Ñandú, façade, smörgåsbord, Ελληνικά, עברית."],
  ["single-char", "x"],
  ["punctuation", "?!?!... --- *** ((( ))) [[[ ]]] {{{ }}} ;;; ::: ''' \"\"\""],
  ["prose-200", words(7, 200)],
];

const O200K_CHAT = ["gpt-4o", "gpt-4o-mini", "gpt-4.1", "o3-mini", "gpt-5", "o1", "chatgpt-4o-latest", "gpt-4.5-preview"];
const CL100K_CHAT = ["gpt-4", "gpt-4-turbo", "gpt-3.5-turbo", "gpt-35-turbo", "gpt-4-0613"];

// ---- cases -------------------------------------------------------------------------------------

const cases = [];
function add(id, model, operation, body, promptTokens, source, approximate = false) {
  const c = { id, model, operation, body, prompt_tokens: promptTokens, source };
  if (approximate) c.approximate = true;
  cases.push(c);
}
function chat(id, model, messages, source = RULE_MESSAGES, approximate = false, extra = {}) {
  add(id, model, "CHAT_COMPLETIONS", { model, messages, ...extra }, numTokensFromMessages(messages, model), source, approximate);
}
function checkedAnchor(id, model, body, apiCount, source, ruleCount) {
  if (ruleCount !== apiCount) console.error(`note: ${id}: rule gives ${ruleCount}, API reported ${apiCount}`);
  add(id, model, "CHAT_COMPLETIONS", body, apiCount, source);
}

// API-reported anchors: the cookbook printed the API's usage.prompt_tokens for these requests.
const jargon = [
  { role: "system", content: "You are a helpful, pattern-following assistant that translates corporate jargon into plain English." },
  { role: "system", name: "example_user", content: "New synergies will help drive top-line growth." },
  { role: "system", name: "example_assistant", content: "Things working well together will increase revenue." },
  {
    role: "system",
    name: "example_user",
    content: "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage.",
  },
  { role: "system", name: "example_assistant", content: "Let's talk later when we're less busy about how to do better." },
  { role: "user", content: "This late pivot means we don't have time to boil the ocean for the client deliverable." },
];
const COOKBOOK_API = "OpenAI API usage.prompt_tokens printed in cookbook How_to_count_tokens_with_tiktoken";
for (const [model, api] of [["gpt-3.5-turbo", 129], ["gpt-4-0613", 129], ["gpt-4", 129], ["gpt-4o", 124], ["gpt-4o-mini", 124]]) {
  checkedAnchor(`api-jargon-${model}`, model, { model, messages: jargon, temperature: 0, max_tokens: 1 }, api,
    `${COOKBOOK_API} section 6 (rule agrees: ${RULE_MESSAGES})`, numTokensFromMessages(jargon, model));
}
const weatherTools = [
  {
    type: "function",
    function: {
      name: "get_current_weather",
      description: "Get the current weather in a given location",
      parameters: {
        type: "object",
        properties: {
          location: { type: "string", description: "The city and state, e.g. San Francisco, CA" },
          unit: { type: "string", description: "The unit of temperature to return", enum: ["celsius", "fahrenheit"] },
        },
        required: ["location"],
      },
    },
  },
];
const weatherMessages = [
  { role: "system", content: "You are a helpful assistant that can answer to questions about the weather." },
  { role: "user", content: "What's the weather like in San Francisco?" },
];
for (const [model, api] of [["gpt-3.5-turbo", 105], ["gpt-4", 105], ["gpt-4o", 101], ["gpt-4o-mini", 101]]) {
  checkedAnchor(`api-weather-tools-${model}`, model, { model, messages: weatherMessages, tools: weatherTools, temperature: 0 }, api,
    `${COOKBOOK_API} section 7 (rule agrees: cookbook num_tokens_for_tools)`,
    numTokensFromMessages(weatherMessages, model) + numTokensForTools(weatherTools, model));
}
// API-measured vision costs: community.openai.com/t/1262691 ("Input token consumption of an image
// plus five-word text", 128x64 image), low / high columns.
const img128 = dataUrl("image/png", png(128, 64, true), 128, 64);
for (const [model, low, high] of [
  ["gpt-4o-2024-08-06", 97, 267],
  ["gpt-4o-2024-11-20", 97, 267],
  ["gpt-4.1-2025-04-14", 97, 267],
  ["gpt-4.5-preview-2025-02-27", 97, 267],
  ["gpt-4-turbo-2024-04-09", 97, 267],
  ["gpt-4o-mini-2024-07-18", 2845, 8512],
]) {
  for (const [detail, api] of [["low", low], ["high", high]]) {
    const messages = [{ role: "user", content: [
      { type: "text", text: "repeat word from attached image" },
      { type: "image_url", image_url: { url: img128, detail } },
    ] }];
    checkedAnchor(`api-vision-128x64-${detail}-${model}`, model, { model, messages, max_tokens: 1 }, api,
      `OpenAI API input tokens measured in community.openai.com/t/1262691 (rule agrees: ${model.startsWith("gpt-4o-mini") ? RULE_IMAGE_MINI : RULE_IMAGE})`,
      numTokensFromMessages(messages, model));
  }
}

// Single user message, every text on one o200k and one cl100k model.
TEXTS.forEach(([name, text], i) => {
  chat(`chat-single-${name}-o200k`, O200K_CHAT[i % O200K_CHAT.length], [{ role: "user", content: text }]);
  chat(`chat-single-${name}-cl100k`, CL100K_CHAT[i % CL100K_CHAT.length], [{ role: "user", content: text }]);
});

// System + user.
TEXTS.slice(0, 12).forEach(([name, text], i) => {
  const model = i % 2 === 0 ? O200K_CHAT[i % O200K_CHAT.length] : CL100K_CHAT[i % CL100K_CHAT.length];
  chat(`chat-system-user-${name}`, model, [
    { role: "system", content: "You are a concise assistant. Answer in one sentence." },
    { role: "user", content: text },
  ]);
});

// Developer role (o-series / gpt-5).
chat("chat-developer-role-o3-mini", "o3-mini", [
  { role: "developer", content: "Formatting re-enabled. Use markdown." },
  { role: "user", content: "List three prime numbers." },
]);
chat("chat-developer-role-gpt-5", "gpt-5", [
  { role: "developer", content: "Be brief." },
  { role: "user", content: "Why is the sky blue?" },
]);

// Names.
for (const [i, model] of ["gpt-4o", "gpt-4", "gpt-4.1", "gpt-3.5-turbo", "o1", "gpt-4-turbo"].entries()) {
  chat(`chat-names-${i}-${model}`, model, [
    { role: "system", content: "Two people are talking." },
    { role: "user", name: ["alice", "Bob_Smith", "user-42", "ジョン", "x", "a_very_long_participant_name_123"][i], content: TEXTS[i][1] },
    { role: "assistant", name: "helper", content: "Understood." },
    { role: "user", name: "carol", content: "And then?" },
  ]);
}
chat("chat-name-only-names", "gpt-4o-mini", [
  { role: "user", name: "n1", content: "hi" },
  { role: "user", name: "n2", content: "hi" },
  { role: "user", name: "n3", content: "hi" },
]);

// Empty and degenerate content.
for (const model of ["gpt-4o", "gpt-4", "gpt-5"]) chat(`chat-empty-content-${model}`, model, [{ role: "user", content: "" }]);
chat("chat-empty-system-and-user", "gpt-4.1", [{ role: "system", content: "" }, { role: "user", content: "" }]);
chat("chat-whitespace-only", "gpt-3.5-turbo", [{ role: "user", content: " " }]);
chat("chat-newline-only", "gpt-4o", [{ role: "user", content: "\n" }]);

// Multi-turn dialogs.
for (const [i, model] of ["gpt-4o", "gpt-4", "gpt-4o-mini", "gpt-35-turbo", "gpt-4.1", "o3-mini"].entries()) {
  const messages = [{ role: "system", content: "You are a travel assistant." }];
  for (let t = 0; t < 3 + i; t++) {
    messages.push({ role: "user", content: TEXTS[(i + t) % TEXTS.length][1] });
    messages.push({ role: "assistant", content: words(100 + i * 10 + t, 20 + t * 7) });
  }
  messages.push({ role: "user", content: "Summarise our conversation." });
  chat(`chat-dialog-${i}-${model}`, model, messages);
}

// Long texts.
chat("chat-long-5k-o200k", "gpt-4o", [{ role: "user", content: words(11, 5000) }]);
chat("chat-long-5k-cl100k", "gpt-4", [{ role: "user", content: words(11, 5000) }]);
chat("chat-long-20k-o200k", "gpt-4.1", [{ role: "system", content: words(12, 1000) }, { role: "user", content: words(13, 19000) }]);
chat("chat-long-code-cl100k", "gpt-4-turbo", [{ role: "user", content: TEXTS[4][1].repeat(200) }]);

// Content as arrays of text parts.
const partsOf = (...texts) => texts.map((text) => ({ type: "text", text }));
chat("chat-parts-one", "gpt-4o", [{ role: "user", content: partsOf("Describe a cat.") }], RULE_PARTS);
chat("chat-parts-three", "gpt-4", [{ role: "user", content: partsOf("First part.", " Second part.", "\nThird: 😀") }], RULE_PARTS);
chat("chat-parts-unicode", "gpt-4o-mini", [{ role: "user", content: partsOf(TEXTS[7][1], TEXTS[12][1]) }], RULE_PARTS);
chat("chat-parts-system-array", "gpt-4.1", [
  { role: "system", content: partsOf("You are terse.", "Never apologise.") },
  { role: "user", content: partsOf("Explain DNS.") },
], RULE_PARTS);
chat("chat-parts-empty-array", "gpt-4o", [{ role: "user", content: [] }], RULE_PARTS);
chat("chat-parts-empty-text", "gpt-3.5-turbo", [{ role: "user", content: partsOf("", "x", "") }], RULE_PARTS);
chat("chat-parts-split-word", "gpt-4o", [{ role: "user", content: partsOf("antidis", "establishment", "arianism") }], RULE_PARTS);
chat("chat-parts-code", "gpt-4-turbo", [{ role: "user", content: partsOf(TEXTS[4][1], TEXTS[5][1]) }], RULE_PARTS);

// Images with known sizes, every header format.
const imageForms = [
  ["png", (w, h) => dataUrl("image/png", png(w, h, w * h <= 256 * 256), w, h)],
  ["jpeg", (w, h) => dataUrl("image/jpeg", jpeg(w, h, 300), w, h)],
  ["jpeg-big-exif", (w, h) => dataUrl("image/jpeg", jpeg(w, h, 6000), w, h)],
  ["gif", (w, h) => dataUrl("image/gif", gif(w, h), w, h)],
  ["webp-vp8x", (w, h) => dataUrl("image/webp", webpVp8x(w, h), w, h)],
  ["webp-vp8l", (w, h) => dataUrl("image/webp", webpVp8l(w, h), w, h)],
  ["webp-vp8", (w, h) => dataUrl("image/webp", webpVp8(w, h), w, h)],
];
const sizes = [
  [1024, 1024], [2048, 4096], [4096, 8192], [512, 512], [513, 513], [1920, 1080], [800, 600], [768, 2048],
  [100, 3000], [3000, 100], [1, 1], [640, 480], [1280, 720], [2000, 1000], [1536, 1536], [4000, 3000],
];
let k = 0;
for (const [w, h] of sizes) {
  for (const detail of ["high", "auto"]) {
    const [form, make] = imageForms[k % imageForms.length];
    const model = ["gpt-4o", "gpt-4.1", "gpt-4-turbo", "gpt-5", "gpt-4o-mini", "o1"][k % 6];
    k++;
    const part = { type: "image_url", image_url: detail === "auto" ? { url: make(w, h) } : { url: make(w, h), detail } };
    chat(`chat-image-${form}-${w}x${h}-${detail}-${model}`, model,
      [{ role: "user", content: [{ type: "text", text: "What is in this image?" }, part] }],
      model.startsWith("gpt-4o-mini") ? RULE_IMAGE_MINI : RULE_IMAGE);
  }
}
for (const model of ["gpt-4o", "gpt-4", "gpt-4o-mini"]) {
  chat(`chat-image-low-large-${model}`, model, [{ role: "user", content: [
    { type: "text", text: "Low detail, please." },
    { type: "image_url", image_url: { url: dataUrl("image/png", png(4096, 8192, false), 4096, 8192), detail: "low" } },
  ] }], model.startsWith("gpt-4o-mini") ? RULE_IMAGE_MINI : RULE_IMAGE);
}
chat("chat-image-two-images", "gpt-4o", [{ role: "user", content: [
  { type: "text", text: "Compare these." },
  { type: "image_url", image_url: { url: dataUrl("image/jpeg", jpeg(1024, 768, 10), 1024, 768), detail: "high" } },
  { type: "image_url", image_url: { url: dataUrl("image/png", png(300, 200, false), 300, 200), detail: "low" } },
] }], RULE_IMAGE);
chat("chat-image-http-low", "gpt-4o", [{ role: "user", content: [
  { type: "text", text: "What is this?" },
  { type: "image_url", image_url: { url: "https://example.com/cat.jpg", detail: "low" } },
] }], RULE_IMAGE);
// Unknown size: our assumption, not an official number.
chat("chat-image-http-high", "gpt-4o", [{ role: "user", content: [
  { type: "text", text: "What is this?" },
  { type: "image_url", image_url: { url: "https://example.com/cat.jpg", detail: "high" } },
] }], RULE_IMAGE_UNKNOWN, true);
chat("chat-image-http-auto", "gpt-4", [{ role: "user", content: [
  { type: "image_url", image_url: { url: "https://example.com/diagram.png" } },
] }], RULE_IMAGE_UNKNOWN, true);

// Tool calls and tool results (approximate rule).
const call = (id, name, args) => ({ id, type: "function", function: { name, arguments: JSON.stringify(args) } });
for (const model of ["gpt-4o", "gpt-4"]) {
  chat(`chat-tool-call-roundtrip-${model}`, model, [
    { role: "user", content: "What's the weather in Paris and Tokyo?" },
    { role: "assistant", content: null, tool_calls: [
      call("call_1", "get_current_weather", { location: "Paris, FR", unit: "celsius" }),
      call("call_2", "get_current_weather", { location: "Tokyo, JP", unit: "celsius" }),
    ] },
    { role: "tool", tool_call_id: "call_1", content: '{"temp": 18, "sky": "cloudy"}' },
    { role: "tool", tool_call_id: "call_2", content: '{"temp": 24, "sky": "clear"}' },
  ], RULE_TOOL_CALLS, true);
}
chat("chat-tool-call-unicode-args", "gpt-4.1", [
  { role: "user", content: "Translate." },
  { role: "assistant", content: null, tool_calls: [call("call_9", "translate", { text: "お誕生日おめでとう 😀", to: "en" })] },
], RULE_TOOL_CALLS, true);

// Tool definitions (approximate rule, our extensions for nested schemas).
const searchTool = {
  type: "function",
  function: {
    name: "search_orders",
    description: "Search the order database.",
    parameters: {
      type: "object",
      properties: {
        query: { type: "string", description: "Free text." },
        status: { type: "string", description: "Order status", enum: ["open", "shipped", "cancelled"] },
        limit: { type: "integer", description: "Maximum rows" },
      },
    },
  },
};
const nestedTool = {
  type: "function",
  function: {
    name: "create_invoice",
    description: "Create an invoice",
    parameters: {
      type: "object",
      properties: {
        customer: { type: "object", description: "Who pays", properties: { id: { type: "string" }, vat: { type: "string" } } },
        lines: { type: "array", description: "Invoice lines", items: { type: "object", properties: { sku: { type: "string" }, qty: { type: "integer" } } } },
      },
    },
  },
};
const noParamsTool = { type: "function", function: { name: "get_time", description: "Current UTC time." } };
for (const [id, model, tools] of [
  ["tools-one-o200k", "gpt-4o", [searchTool]],
  ["tools-one-cl100k", "gpt-4", [searchTool]],
  ["tools-three-o200k", "gpt-4.1", [searchTool, weatherTools[0], noParamsTool]],
  ["tools-nested-o200k", "gpt-4o-mini", [nestedTool]],
  ["tools-no-params-cl100k", "gpt-3.5-turbo", [noParamsTool]],
]) {
  const messages = [{ role: "user", content: "Help me with my orders." }];
  add(id, model, "CHAT_COMPLETIONS", { model, messages, tools },
    numTokensFromMessages(messages, model) + numTokensForTools(tools, model), RULE_TOOLS, true);
}

// Completions.
const completionModels = ["gpt-3.5-turbo-instruct", "davinci-002", "babbage-002", "gpt-4o"];
TEXTS.slice(0, 8).forEach(([name, text], i) => {
  const model = completionModels[i % completionModels.length];
  add(`completions-string-${name}`, model, "COMPLETIONS", { model, prompt: text, max_tokens: 16 }, sumInput(model, text), RULE_COMPLETIONS);
});
for (const [i, prompts] of [
  [TEXTS[0][1], TEXTS[1][1]],
  [TEXTS[7][1], TEXTS[12][1], TEXTS[13][1]],
  ["x"],
  [TEXTS[16][1], TEXTS[17][1]],
].entries()) {
  const model = completionModels[i % completionModels.length];
  add(`completions-array-${i}`, model, "COMPLETIONS", { model, prompt: prompts }, sumInput(model, prompts), RULE_COMPLETIONS);
}
add("completions-token-array", "gpt-3.5-turbo-instruct", "COMPLETIONS",
  { model: "gpt-3.5-turbo-instruct", prompt: [9906, 11, 1917, 0] }, 4, RULE_COMPLETIONS + " (4 tokens)");
add("completions-token-arrays", "davinci-002", "COMPLETIONS",
  { model: "davinci-002", prompt: [[9906, 11], [1917, 0, 220], [15]] }, 6, RULE_COMPLETIONS + " (2+3+1 tokens)");
add("completions-long", "gpt-3.5-turbo-instruct", "COMPLETIONS",
  { model: "gpt-3.5-turbo-instruct", prompt: words(21, 3000) }, sumInput("gpt-3.5-turbo-instruct", words(21, 3000)), RULE_COMPLETIONS);

// Embeddings.
const embeddingModels = ["text-embedding-3-small", "text-embedding-3-large", "text-embedding-ada-002"];
TEXTS.forEach(([name, text], i) => {
  if (i % 2 === 1) return;
  const model = embeddingModels[i % embeddingModels.length];
  add(`embeddings-string-${name}`, model, "EMBEDDINGS", { model, input: text }, sumInput(model, text), RULE_EMBEDDINGS);
});
for (const [i, inputs] of [
  [TEXTS[0][1]],
  [TEXTS[2][1], TEXTS[8][1], TEXTS[12][1]],
  TEXTS.map((t) => t[1]),
  ["a", "b", "x"],
  Array.from({ length: 50 }, (_, j) => words(300 + j, 30)),
].entries()) {
  const model = embeddingModels[i % embeddingModels.length];
  add(`embeddings-array-${i}`, model, "EMBEDDINGS", { model, input: inputs }, sumInput(model, inputs), RULE_EMBEDDINGS);
}
add("embeddings-token-array", "text-embedding-3-small", "EMBEDDINGS",
  { model: "text-embedding-3-small", input: [1, 2, 3, 4, 5, 100, 200] }, 7, RULE_EMBEDDINGS + " (7 tokens)");
add("embeddings-token-arrays", "text-embedding-ada-002", "EMBEDDINGS",
  { model: "text-embedding-ada-002", input: [[1, 2, 3], [4], [5, 6, 7, 8, 9]] }, 9, RULE_EMBEDDINGS + " (3+1+5 tokens)");
add("embeddings-long", "text-embedding-3-large", "EMBEDDINGS",
  { model: "text-embedding-3-large", input: words(31, 6000), dimensions: 256 }, sumInput("text-embedding-3-large", words(31, 6000)), RULE_EMBEDDINGS);

for (const c of cases) process.stdout.write(JSON.stringify(c) + "\n");
console.error(`${cases.length} cases, ${cases.filter((c) => c.approximate).length} approximate`);
