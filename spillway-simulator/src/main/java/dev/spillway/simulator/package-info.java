/**
 * An Azure OpenAI look-alike server used by Spillway's demo, tests and benchmarks.
 *
 * <p>Public API: {@link dev.spillway.simulator.Simulator} (start, port, baseUrl, utilization,
 * stats, close), its configuration records ({@link dev.spillway.simulator.SimulatorConfig},
 * {@link dev.spillway.simulator.DeploymentConfig}, {@link dev.spillway.simulator.Timing},
 * {@link dev.spillway.simulator.FaultConfig}, {@link dev.spillway.simulator.ContentFilterConfig} with its
 * {@link dev.spillway.simulator.TriggerTerm}s, {@link dev.spillway.simulator.FilterCategory} and {@link
 * dev.spillway.simulator.FilterSeverity}, {@link dev.spillway.simulator.ContentSafetyConfig}) and the stats
 * snapshots. Everything else is package-private:
 *
 * <ul>
 *   <li>{@code SimulatorHandler} — the request pipeline: route → method → api-version → key → body →
 *       deployment → fault → admission → answer, with {@code ExchangeAdmission} (admission and the
 *       429) and {@code Replies} (how an exchange ends) as its shared steps.
 *   <li>{@code PtuBucket}, {@code PaygQuota} — the throttling maths, pure functions of
 *       {@code (state, cost, nowNanos)} applied by compare-and-swap.
 *   <li>{@code SpilloverAdmission} — Azure's native spillover: which deployment answers when a PTU
 *       deployment's bucket rejects a request and a PAYG spillover deployment applies.
 *   <li>{@code CompletionText}, {@code EmbeddingVectors}, {@code RequestSeed} — deterministic content:
 *       every choice is derived from the seed and the request body, never from arrival order.
 *   <li>{@code CompletionsApi}, {@code CompletionJson}, {@code SseStream} — chat and text completions:
 *       Azure-shaped bodies and paced, back-pressured SSE.
 *   <li>Content filtering: {@code PromptFilter} rates a prompt into a {@code FilterVerdict} (trigger terms
 *       in the {@code UserText}, directives of the {@code ContentFilterHeader}), refuses a blocked one, and
 *       {@code ContentFilterJson} writes Azure's annotations and {@code 400 content_filter}.
 *   <li>{@code ContentSafetyApi} — an Azure AI Content Safety look-alike ({@code text:analyze}, {@code
 *       text:shieldPrompt}): {@code AnalyzeTextRequest}, {@code ShieldPromptRequest}, answered by {@code
 *       ContentSafetyAnswers} from the same trigger terms; faults drawn by a {@code FaultSequence}.
 *   <li>{@code ResponsesApi} — OpenAI's Responses API on the same admission, faults and pacing:
 *       {@code ResponseRequest} (the body), {@code ResponseJson} and {@code ResponseEvents} (the
 *       answer, whole or as typed SSE events), {@code StoredResponses} (the ids this instance knows)
 *       and {@code ResponseCall} (the calls on one id).
 *   <li>{@code RealtimeApi} — OpenAI's Realtime API over WebSocket: the upgrade (key, deployment,
 *       admission, refused with a plain HTTP status), then a {@code RealtimeSession} per socket, with
 *       {@code RealtimeConversation} (items and input tokens), {@code RealtimeTurn} and {@code
 *       RealtimeResponseStream} (one paced response), in the GA or beta {@code RealtimeDialect}.
 *   <li>{@code MediaApi} — images, audio and moderations on the same admission and faults: the
 *       requests ({@code ImageRequest}, {@code TranscriptionRequest}, {@code SpeechRequest}, {@code
 *       ModerationRequest}) with their token costs, the answers ({@code ImageJson} with {@code
 *       PngImage}, {@code TranscriptionJson} with {@code Transcript}, {@code SpeechStream} with {@code
 *       SpeechFormat}'s silent clips, {@code ModerationJson}); multipart uploads are read as a stream by
 *       {@code MultipartForms} and {@code MultipartReader}, which keep fields and a file's first bytes only.
 * </ul>
 *
 * <p>Time: rate limiters read the injected {@link dev.spillway.core.time.Ticker}, so tests drive
 * throttling with a {@link dev.spillway.core.time.ManualTicker}; response pacing uses real Vert.x
 * timers (and none at all under {@code zeroLatency}).
 */
package dev.spillway.simulator;
