using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Hubs.Contracts.Generation;
using Microsoft.Extensions.Options;

namespace Hubs.Server.Generation;

/// <summary>
/// The OpenAI-compatible back end: one <c>POST {base}/v1/chat/completions</c> with <c>stream: true</c> per agent,
/// reading the server-sent events and yielding each <c>choices[0].delta.content</c>. Disposing the response
/// when the caller cancels closes the HTTP stream, which stops the upstream generation.
/// </summary>
internal sealed class OpenAiContentGenerator : IContentGenerator
{
    public const string HttpClientName = "openai";

    private static readonly Dictionary<string, string> SystemPrompts = new(StringComparer.Ordinal)
    {
        [GenerationAgents.Research] = "You are a research agent. List the audience, key angles and sources for the topic. Be brief.",
        [GenerationAgents.Creator] = "You are a content creator. Write the post from the research notes.",
        [GenerationAgents.Scheduler] = "You are a scheduling agent. Propose when and where to publish the post.",
    };

    private readonly IHttpClientFactory _httpClients;
    private readonly IOptions<GenerationOptions> _options;

    public OpenAiContentGenerator(IHttpClientFactory httpClients, IOptions<GenerationOptions> options)
    {
        _httpClients = httpClients;
        _options = options;
    }

    public async IAsyncEnumerable<string> StreamAsync(GenerationStep step, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var options = _options.Value;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.OpenAiTimeout);

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.OpenAiBaseUrl!, "v1/chat/completions"))
        {
            Content = new StringContent(BuildBody(step, options.OpenAiModel!), Encoding.UTF8, "application/json"),
        };
        if (!string.IsNullOrEmpty(options.OpenAiApiKey))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.OpenAiApiKey);
        }

        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));

        var client = _httpClients.CreateClient(HttpClientName);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"the completion endpoint answered {(int)response.StatusCode} {response.ReasonPhrase}");
        }

        await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
        using var reader = new StreamReader(body, Encoding.UTF8);
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (!line.StartsWith("data:", StringComparison.Ordinal))
            {
                continue;
            }

            var data = line.AsMemory(5).Trim();
            if (data.Span.SequenceEqual("[DONE]"))
            {
                yield break;
            }

            var content = ReadDelta(data.Span);
            if (!string.IsNullOrEmpty(content))
            {
                yield return content;
            }
        }
    }

    internal static string? ReadDelta(ReadOnlySpan<char> json)
    {
        using var document = JsonDocument.Parse(json.ToString());
        var root = document.RootElement;
        if (root.TryGetProperty("error", out var error))
        {
            var message = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var m) ? m.GetString() : error.ToString();
            throw new HttpRequestException($"the completion endpoint reported an error: {message}");
        }

        if (root.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0
            && choices[0].TryGetProperty("delta", out var delta) && delta.TryGetProperty("content", out var content)
            && content.ValueKind == JsonValueKind.String)
        {
            return content.GetString();
        }

        return null;
    }

    private static string BuildBody(GenerationStep step, string model)
    {
        var user = new StringBuilder();
        user.Append("Topic: ").Append(step.Request.Prompt);
        if (!string.IsNullOrEmpty(step.Request.BrandProfileId))
        {
            user.Append("\nBrand profile: ").Append(step.Request.BrandProfileId);
        }

        foreach (var previous in step.PreviousOutputs)
        {
            user.Append("\n\nEarlier agent output:\n").Append(previous);
        }

        return JsonSerializer.Serialize(new
        {
            model,
            stream = true,
            messages = new object[]
            {
                new { role = "system", content = SystemPrompts[step.Agent] },
                new { role = "user", content = user.ToString() },
            },
        });
    }
}
