using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Consentry.Features.Webhooks;

/// <summary>The <c>Consentry:Webhooks</c> section.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Consentry:Webhooks";

    /// <summary>Delays before each attempt, e.g. <c>0,5s,5m,30m,2h,5h,10h,10h</c> (Codat's: about 28 hours in all).</summary>
    public string RetrySchedule { get; set; } = "0,5s,5m,30m,2h,5h,10h,10h";

    /// <summary>Allow consumers on loopback, private and link-local addresses (local development).</summary>
    public bool AllowPrivateNetworks { get; set; }

    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 15;

    /// <summary>How often an idle worker looks for due deliveries (commits on this instance wake it at once).</summary>
    [Range(10, 60_000)]
    public int PollMilliseconds { get; set; } = 1000;

    /// <summary>
    /// How long a claim lasts without renewal. A heartbeat renews every claim of the instance every third of this (one
    /// statement for all of them) until its attempt is recorded, so a dead instance's deliveries are sent again within this
    /// (plus a poll) while a slow endpoint never loses its delivery to another instance.
    /// </summary>
    [Range(2, 3600)]
    public int LeaseSeconds { get; set; } = 5;

    [Range(1, 1000)]
    public int BatchSize { get; set; } = 200;

    [Range(1, 512)]
    public int MaxConcurrency { get; set; } = 64;

    /// <summary>A consumer failing every delivery for this long is disabled.</summary>
    [Range(1, 365)]
    public int DisableAfterDays { get; set; } = 5;

    /// <summary>Up to this share of a delay is added at random, so retries of many messages spread out.</summary>
    [Range(0, 1)]
    public double Jitter { get; set; } = 0.1;

    /// <summary>Whether this instance runs the delivery worker (all instances may; claims keep them apart).</summary>
    public bool RunWorker { get; set; } = true;

    public IReadOnlyList<TimeSpan> ParsedSchedule() => ParseSchedule(RetrySchedule)
        ?? throw new InvalidOperationException($"Invalid retry schedule '{RetrySchedule}'.");

    /// <summary>Parses <c>0,5s,5m,2h,1d</c> (a bare number is seconds); null when malformed.</summary>
    public static List<TimeSpan>? ParseSchedule(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var delays = new List<TimeSpan>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var unit = part.Length > 0 && char.IsLetter(part[^1]) ? part[^1] : 's';
            var number = char.IsLetter(unit) && part.Length > 0 && char.IsLetter(part[^1]) ? part[..^1] : part;
            if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || value < 0)
            {
                return null;
            }

            TimeSpan? delay = unit switch
            {
                's' => TimeSpan.FromSeconds(value),
                'm' => TimeSpan.FromMinutes(value),
                'h' => TimeSpan.FromHours(value),
                'd' => TimeSpan.FromDays(value),
                _ => null,
            };
            if (delay is null)
            {
                return null;
            }

            delays.Add(delay.Value);
        }

        return delays.Count is 0 or > 50 ? null : delays;
    }
}
