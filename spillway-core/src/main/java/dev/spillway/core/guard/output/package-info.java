/**
 * The guard of a model's answers on their way back to the client: the {@link dev.spillway.core.guard.TextCheck}s run
 * over generated text, which is masked ({@link dev.spillway.core.guard.output.Placeholders}) or filtered the way Azure
 * OpenAI filters a completion ({@code finish_reason: content_filter} with {@code content_filter_results}).
 *
 * <p>{@link dev.spillway.core.guard.output.OutputGuard} holds the checks, the window and the overlap, and makes an
 * {@link dev.spillway.core.guard.output.AnswerGuard} (whole chat, text and Responses API answers; stateless) and a
 * {@link dev.spillway.core.guard.output.StreamGuard} per streamed chat or text completion (windows of held text per
 * choice, released checked) or a {@link dev.spillway.core.guard.output.ResponseStreamGuard} per streamed Responses API
 * answer (windows per output text part). Pure Java, no I/O.
 */
package dev.spillway.core.guard.output;
