using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Consentry.Infrastructure.Errors;
using Consentry.Infrastructure.Tenancy;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Consentry.Infrastructure.Abuse;

/// <summary>
/// Rate limits with ASP.NET Core's rate limiter: one global, partitioned limiter that picks a token bucket by surface
/// (Platform API per client, public pages, sign-in and sandbox per IP) and answers 429 with <c>Retry-After</c> and
/// Codat's error body. Client addresses come from <c>X-Forwarded-For</c> only when the proxy is configured as trusted.
/// </summary>
internal static class AbuseLimits
{
    public static WebApplicationBuilder AddAbuseLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>().Bind(builder.Configuration.GetSection(RateLimitOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<RateLimitOptions>, RateLimitOptionsValidator>();
        builder.Services.AddOptions<TrustedProxyOptions>().Bind(builder.Configuration.GetSection(TrustedProxyOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TrustedProxyOptions>, TrustedProxyOptionsValidator>();
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<TrustedProxyOptions>>((o, trusted) =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.ForwardLimit = trusted.Value.ForwardLimit;
            // The framework trusts loopback by default; only what the operator lists is trusted here.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in trusted.Value.Proxies)
            {
                o.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in trusted.Value.Networks)
            {
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });

        builder.Services.Configure<Microsoft.AspNetCore.Mvc.MvcOptions>(o => o.Filters.Add(new UnknownPageHandlers()));
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(Partition);
            o.OnRejected = RejectAsync;
        });
        return builder;
    }

    /// <summary>Before anything reads the client's address (first in the pipeline).</summary>
    public static IApplicationBuilder UseTrustedProxies(this IApplicationBuilder app)
    {
        var trusted = app.ApplicationServices.GetRequiredService<IOptions<TrustedProxyOptions>>().Value;
        return trusted.Proxies.Count + trusted.Networks.Count == 0 ? app : app.UseForwardedHeaders();
    }

    /// <summary>After authentication (the per-client bucket needs the client), before authorization and the endpoints.</summary>
    public static IApplicationBuilder UseAbuseLimits(this IApplicationBuilder app) =>
        app.ApplicationServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.Enabled ? app.UseRateLimiter() : app;

    private static RateLimitPartition<string> Partition(HttpContext context)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
        var path = context.Request.Path;
        if (path.StartsWithSegments("/healthz"))
        {
            return RateLimitPartition.GetNoLimiter("health");
        }

        var (name, rule, byClient) = path switch
        {
            _ when path.StartsWithSegments("/sandbox") => (nameof(options.SandboxPerIp), options.SandboxPerIp, false),
            _ when path.StartsWithSegments("/portal/signin") && HttpMethods.IsPost(context.Request.Method)
                => (nameof(options.SignInPerIp), options.SignInPerIp, false),
            _ when path.StartsWithSegments("/link") || path.StartsWithSegments("/portal") => (nameof(options.PagesPerIp), options.PagesPerIp, false),
            _ when context.User.FindFirst(ApiKeyAuthenticationHandler.ClientIdClaim) is not null => (nameof(options.ApiPerClient), options.ApiPerClient, true),
            _ => (nameof(options.AnonymousPerIp), options.AnonymousPerIp, false),
        };
        var who = byClient ? context.User.FindFirst(ApiKeyAuthenticationHandler.ClientIdClaim)!.Value : AddressKey(context.Connection.RemoteIpAddress);
        return RateLimitPartition.GetTokenBucketLimiter(name + ":" + who, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = rule.Burst,
            TokensPerPeriod = rule.PermitsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    /// <summary>IPv4 addresses as they are; IPv6 by /64, the block one subscriber usually holds (and can walk through).</summary>
    internal static string AddressKey(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken ct)
    {
        var context = rejected.HttpContext;
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : 1;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        if (context.Request.Path.StartsWithSegments("/link") && !context.Request.Path.StartsWithSegments("/link/api"))
        {
            // A person's browser: the status code pages write the short HTML error page.
            return;
        }

        await ErrorMapping.WriteAsync(context, StatusCodes.Status429TooManyRequests,
            string.Create(CultureInfo.InvariantCulture, $"Too many requests. Retry after {seconds} seconds."));
    }
}

internal sealed class RateLimitOptionsValidator : IValidateOptions<RateLimitOptions>
{
    public ValidateOptionsResult Validate(string? name, RateLimitOptions options)
    {
        var failures = new List<string>();
        foreach (var (ruleName, rule) in options.Rules)
        {
            var results = new List<ValidationResult>();
            if (rule is null || !Validator.TryValidateObject(rule, new ValidationContext(rule), results, validateAllProperties: true))
            {
                failures.AddRange(results.Select(r => $"{RateLimitOptions.Section}:{ruleName}: {r.ErrorMessage}"));
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

internal sealed class TrustedProxyOptionsValidator : IValidateOptions<TrustedProxyOptions>
{
    public ValidateOptionsResult Validate(string? name, TrustedProxyOptions options)
    {
        var failures = new List<string>();
        failures.AddRange(options.Proxies.Where(p => !IPAddress.TryParse(p, out _))
            .Select(p => $"{TrustedProxyOptions.Section}:Proxies: '{p}' is not an IP address."));
        failures.AddRange(options.Networks.Where(n => !System.Net.IPNetwork.TryParse(n, out _))
            .Select(n => $"{TrustedProxyOptions.Section}:Networks: '{n}' is not a network in CIDR notation (e.g. 10.0.0.0/8)."));
        if (options.ForwardLimit is < 1 or > 10)
        {
            failures.Add($"{TrustedProxyOptions.Section}:ForwardLimit must be between 1 and 10.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
