using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

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

/// <summary>OTLP export of traces and metrics (<c>Consentry:Telemetry</c>); the endpoint and headers come from the standard <c>OTEL_EXPORTER_OTLP_*</c> settings.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Consentry:Telemetry";

    /// <summary>Export traces and metrics over OTLP. Also on when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.</summary>
    public bool OtlpExport { get; set; }

    public static bool ExportsOtlp(IConfiguration configuration) =>
        configuration.GetValue<bool>(Section + ":OtlpExport") || !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
}

internal static class ObservabilitySetup
{
    private static readonly string[] Meters = [ConsentryMetrics.MeterName, "Microsoft.AspNetCore.Hosting"];

    /// <summary>
    /// OpenTelemetry: the Consentry meter and ASP.NET Core's, read by the Prometheus exporter behind <c>/metrics</c>; the
    /// Consentry activity source with ASP.NET Core and HttpClient spans; OTLP export of both when configured.
    /// </summary>
    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MetricsOptions>().Bind(builder.Configuration.GetSection(MetricsOptions.Section)).ValidateDataAnnotations()
            .Validate(o => (o.AllowedNetworks ?? []).All(n => IPNetwork.TryParse(n, out _)), "Consentry:Metrics:AllowedNetworks must be CIDR networks, e.g. 10.0.0.0/8.")
            .ValidateOnStart();
        builder.Services.AddSingleton<QueueSampler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<QueueSampler>());
        builder.Services.AddSingleton<ConsentryMetrics>();

        var otlp = TelemetryOptions.ExportsOtlp(builder.Configuration);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(builder.Configuration["OTEL_SERVICE_NAME"] ?? "consentry"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(Meters).AddPrometheusExporter();
                // Only this host's meters (made by its IMeterFactory): several hosts in one process (the tests) each export their own.
                ((IDeferredMeterProviderBuilder)metrics).Configure((services, b) =>
                {
                    var factory = services.GetRequiredService<IMeterFactory>();
                    b.AddView(instrument => instrument.Meter.Scope is IMeterFactory scope && !ReferenceEquals(scope, factory) ? MetricStreamConfiguration.Drop : null);
                });
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            })
            .WithTracing(tracing =>
            {
                tracing.AddSource(ConsentryTracing.SourceName)
                    .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/metrics", StringComparison.Ordinal))
                    .AddHttpClientInstrumentation();
                if (otlp)
                {
                    tracing.AddOtlpExporter();
                }
            });
        return builder;
    }

    /// <summary><c>GET /metrics</c> (OpenTelemetry's Prometheus exporter), for the allowed networks or the configured token only.</summary>
    public static WebApplication MapMetrics(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value;
        // Created now, so that the gauges exist before the first scrape.
        _ = app.Services.GetRequiredService<ConsentryMetrics>();
        if (!options.Enabled)
        {
            return app;
        }

        var networks = options.Networks();
        var token = options.Token is { Length: > 0 } t ? Encoding.UTF8.GetBytes("Bearer " + t) : null;
        app.MapPrometheusScrapingEndpoint("/metrics", meterProvider: null, configureBranchedPipeline: branch => branch.Use(async (http, next) =>
        {
            var remote = http.Connection.RemoteIpAddress is { IsIPv4MappedToIPv6: true } mapped ? mapped.MapToIPv4() : http.Connection.RemoteIpAddress;
            var fromNetwork = remote is not null && networks.Any(n => n.Contains(remote));
            var withToken = token is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(http.Request.Headers.Authorization.ToString()), token);
            if (fromNetwork || withToken)
            {
                await next(http);
                return;
            }

            http.Response.StatusCode = StatusCodes.Status403Forbidden;
        }), optionsName: null).AllowAnonymous();
        return app;
    }
}
