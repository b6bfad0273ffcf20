using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Consentry.Core.Webhooks;
using Microsoft.Extensions.Options;

namespace Consentry.Features.Webhooks.Delivery;

/// <summary>What one HTTP attempt came to.</summary>
public sealed record SendOutcome(bool Succeeded, int? StatusCode, int DurationMs, string? Error, TimeSpan? RetryAfter)
{
    public bool Gone => StatusCode == StatusCodes.Status410Gone;
}

/// <summary>
/// Posts one signed event to one consumer: Standard Webhooks headers (and their svix- aliases), a timeout, no
/// redirects, and only through addresses the <see cref="NetworkGuard"/> allows.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory clients, TimeProvider time)
{
    public const string ClientName = "webhooks";

    /// <summary>Standard Webhooks headers, and their <c>svix-</c> aliases for Svix's libraries.</summary>
    private static readonly (string Id, string Timestamp, string Signature)[] Prefixes =
        [("webhook-id", "webhook-timestamp", "webhook-signature"), ("svix-id", "svix-timestamp", "svix-signature")];

    /// <param name="body">the event's JSON as UTF-8, encoded once per event and shared by its deliveries and attempts</param>
    /// <param name="keys">the consumer's valid signing keys (<see cref="WebhookSigning.Key"/>), decoded once per claim</param>
    public async Task<SendOutcome> SendAsync(string url, string messageId, byte[] body, IReadOnlyList<byte[]> keys, CancellationToken ct)
    {
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        var signature = WebhookSigning.SignAll(keys, messageId, timestamp, body);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        // What StringContent(body, UTF8, "application/json") sent; a header object per request (they are mutable).
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json", "utf-8");
        var stamp = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var prefix in Prefixes)
        {
            request.Headers.TryAddWithoutValidation(prefix.Id, messageId);
            request.Headers.TryAddWithoutValidation(prefix.Timestamp, stamp);
            request.Headers.TryAddWithoutValidation(prefix.Signature, signature);
        }

        var watch = Stopwatch.StartNew();
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var status = (int)response.StatusCode;
            var ok = status is >= 200 and < 300;
            return new SendOutcome(ok, status, Elapsed(watch), ok ? null : Describe(response), RetryAfter(response));
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return new SendOutcome(false, null, Elapsed(watch), "Timed out waiting for the endpoint.", null);
        }
        catch (HttpRequestException e)
        {
            return new SendOutcome(false, null, Elapsed(watch), Trim(e.InnerException is SocketException s ? $"{e.Message} ({s.SocketErrorCode})" : e.Message), null);
        }
    }

    private static string Describe(HttpResponseMessage response) => response.StatusCode switch
    {
        >= HttpStatusCode.MultipleChoices and < HttpStatusCode.BadRequest => $"Redirects are not followed ({(int)response.StatusCode} to {response.Headers.Location}).",
        HttpStatusCode.Gone => "The endpoint answered 410 Gone: the consumer is disabled.",
        _ => $"The endpoint answered {(int)response.StatusCode} {response.ReasonPhrase}.",
    };

    private static TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow,
        _ => null,
    };

    private static int Elapsed(Stopwatch watch) => (int)Math.Min(int.MaxValue, watch.ElapsedMilliseconds);

    private static string Trim(string text) => text.Length <= 1000 ? text : text[..1000];
}
