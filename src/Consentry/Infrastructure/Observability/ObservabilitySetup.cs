using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Consentry.Infrastructure.Observability;

/// <summary>The metrics endpoint's settings (<c>Consentry:Metrics</c>), validated at start.</summary>
public sealed class MetricsOptions
{
    public const string Section = "Consentry:Metrics";

    private static readonly string[] Loopback = ["127.0.0.0/8", "::1/128"];

    /// <summary>Serve <c>/metrics</c> at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Networks (CIDR) allowed to scrape without a token; loopback when none are configured.</summary>
    public string[]? AllowedNetworks { get; set; }

    /// <summary>A bearer token that may scrape from anywhere (<c>Authorization: Bearer …</c>); none by default.</summary>
    public string? Token { get; set; }

    /// <summary>How often the queue gauges are refreshed from the database.</summary>
    [Range(1, 3600)]
    public int QueueSampleSeconds { get; set; } = 15;

    public IReadOnlyList<IPNetwork> Networks() => [.. (AllowedNetworks is { Length: > 0 } ? AllowedNetworks : Loopback).Select(n => IPNetwork.Parse(n))];
}

internal static class ObservabilitySetup
{
    /// <summary>Metrics (the Consentry meter, queue sampling, the Prometheus exporter).</summary>
    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MetricsOptions>().Bind(builder.Configuration.GetSection(MetricsOptions.Section)).ValidateDataAnnotations()
            .Validate(o => (o.AllowedNetworks ?? []).All(n => IPNetwork.TryParse(n, out _)), "Consentry:Metrics:AllowedNetworks must be CIDR networks, e.g. 10.0.0.0/8.")
            .ValidateOnStart();
        builder.Services.AddSingleton<QueueSampler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<QueueSampler>());
        builder.Services.AddSingleton<ConsentryMetrics>();
        builder.Services.AddSingleton<PrometheusExporter>();
        return builder;
    }

    /// <summary><c>GET /metrics</c> in Prometheus' text format, for the allowed networks or the configured token only.</summary>
    public static WebApplication MapMetrics(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value;
        // Created now, so that the listener counts from the start and the gauges exist before the first scrape.
        var exporter = app.Services.GetRequiredService<PrometheusExporter>();
        _ = app.Services.GetRequiredService<ConsentryMetrics>();
        if (!options.Enabled)
        {
            return app;
        }

        var networks = options.Networks();
        var token = options.Token is { Length: > 0 } t ? Encoding.UTF8.GetBytes("Bearer " + t) : null;
        app.MapGet("/metrics", (HttpContext http) =>
        {
            var remote = http.Connection.RemoteIpAddress is { IsIPv4MappedToIPv6: true } mapped ? mapped.MapToIPv4() : http.Connection.RemoteIpAddress;
            var fromNetwork = remote is not null && networks.Any(n => n.Contains(remote));
            var withToken = token is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(http.Request.Headers.Authorization.ToString()), token);
            return fromNetwork || withToken
                ? Results.Text(exporter.Scrape(), "text/plain; version=0.0.4; charset=utf-8")
                : Results.StatusCode(StatusCodes.Status403Forbidden);
        }).AllowAnonymous().ExcludeFromDescription();
        return app;
    }
}
