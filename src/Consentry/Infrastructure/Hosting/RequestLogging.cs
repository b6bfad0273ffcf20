using Microsoft.AspNetCore.HttpLogging;

namespace Consentry.Infrastructure.Hosting;

/// <summary>
/// Request logs that never carry a secret from a URL. The framework's own request log (<c>Request starting GET
/// …/link/oauth/callback/gbol?code=…&amp;state=…</c>) and its redirect logs (<c>redirecting to …/authorize?…&amp;state=…</c>)
/// write the raw URL and have no redaction hook, so their categories (<see cref="UrlCategories"/>) are held above
/// those levels for every logging provider, and ASP.NET Core's HTTP logging takes their place: one line per request
/// (method, path, query, status, duration, redirect target) whose query and target go through <see cref="QueryMasking"/>
/// first. Microsoft.Extensions.Compliance.Redaction would not reach those lines (it redacts classified values of our
/// own log messages, not a framework's formatted URL), and the HTTP-logging redaction package is not on our package source.
/// </summary>
internal static class RequestLogging
{
    public const string FrameworkCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";

    /// <summary>
    /// Framework categories that print whole URLs or handler arguments, with the level from which they are safe (found
    /// by logging a journey at Trace): request and redirect lines print the query, the link generator (Debug) the
    /// values it put in a URL, the Razor Pages invoker (Trace) a handler's arguments such as the Done page's reference.
    /// </summary>
    public static readonly IReadOnlyList<(string Category, LogLevel Minimum)> UrlCategories =
    [
        (FrameworkCategory, LogLevel.Warning),
        ("Microsoft.AspNetCore.Mvc.Infrastructure.RedirectResultExecutor", LogLevel.Warning),
        ("Microsoft.AspNetCore.Mvc.Infrastructure.LocalRedirectResultExecutor", LogLevel.Warning),
        ("Microsoft.AspNetCore.Mvc.Infrastructure.RedirectToPageResultExecutor", LogLevel.Warning),
        ("Microsoft.AspNetCore.Mvc.Infrastructure.RedirectToActionResultExecutor", LogLevel.Warning),
        ("Microsoft.AspNetCore.Mvc.Infrastructure.RedirectToRouteResultExecutor", LogLevel.Warning),
        ("Microsoft.AspNetCore.Http.Result.RedirectHttpResult", LogLevel.Warning),
        ("Microsoft.AspNetCore.Routing.DefaultLinkGenerator", LogLevel.Warning),
        ("Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure.PageActionInvoker", LogLevel.Debug),
    ];

    /// <summary>Where our request lines are logged (Information; quiet by default under <c>Microsoft.AspNetCore: Warning</c>).</summary>
    public const string Category = "Microsoft.AspNetCore.HttpLogging.HttpLoggingMiddleware";

    public static WebApplicationBuilder AddRequestLogging(this WebApplicationBuilder builder)
    {
        // After every other filter, one rule per provider named in any rule (and one for all): a provider-specific
        // setting such as Logging:Console:LogLevel:Default=Trace would otherwise outrank a general rule and bring it back.
        // Each rule only raises the level the configuration gives the category, never lowers it: the Razor Pages
        // invoker, safe from Debug, stays at Warning under the default Microsoft.AspNetCore: Warning (it logged ten
        // lines for every page served).
        builder.Services.PostConfigure<LoggerFilterOptions>(o =>
        {
            var configured = o.Rules.ToList();
            foreach (var provider in configured.Select(r => r.ProviderName).Append(null).Distinct().ToList())
            {
                foreach (var (category, minimum) in UrlCategories)
                {
                    var level = ConfiguredLevel(configured, o.MinLevel, provider, category);
                    o.Rules.Add(new LoggerFilterRule(provider, category, level > minimum ? level : minimum, filter: null));
                }
            }
        });
        builder.Services.AddHttpLogging(o =>
        {
            o.LoggingFields = HttpLoggingFields.RequestMethod | HttpLoggingFields.RequestPath | HttpLoggingFields.RequestQuery
                | HttpLoggingFields.ResponseStatusCode | HttpLoggingFields.Duration;
            o.CombineLogs = true;
        });
        builder.Services.AddHttpLoggingInterceptor<MaskedQueryInterceptor>();
        return builder;
    }

    /// <summary>
    /// The level <paramref name="rules"/> give <paramref name="category"/> for <paramref name="provider"/>, chosen as the
    /// logging library chooses (a rule for the provider before one for all, then the longest category prefix; rules
    /// with a filter or a wildcard are not considered).
    /// </summary>
    internal static LogLevel ConfiguredLevel(IReadOnlyList<LoggerFilterRule> rules, LogLevel minLevel, string? provider, string category)
    {
        var best = rules
            .Where(r => r.Filter is null && r.CategoryName?.Contains('*', StringComparison.Ordinal) != true
                        && (r.ProviderName is null || r.ProviderName == provider)
                        && (r.CategoryName is null || category.StartsWith(r.CategoryName, StringComparison.OrdinalIgnoreCase)))
            .OrderByDescending(r => r.ProviderName is not null)
            .ThenByDescending(r => r.CategoryName?.Length ?? -1)
            .FirstOrDefault();
        return best?.LogLevel ?? minLevel;
    }

    /// <summary>Inside the correlation id's scope, so each request line carries it.</summary>
    public static IApplicationBuilder UseRequestLogging(this IApplicationBuilder app) => app.UseHttpLogging();

    private sealed class MaskedQueryInterceptor : IHttpLoggingInterceptor
    {
        public ValueTask OnRequestAsync(HttpLoggingInterceptorContext logContext)
        {
            var request = logContext.HttpContext.Request;
            if (request.QueryString.HasValue && logContext.TryDisable(HttpLoggingFields.RequestQuery))
            {
                logContext.AddParameter("QueryString", QueryMasking.Mask(request.Query));
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask OnResponseAsync(HttpLoggingInterceptorContext logContext)
        {
            if (logContext.HttpContext.Response.Headers.Location.ToString() is { Length: > 0 } location)
            {
                logContext.AddParameter("Location", QueryMasking.MaskUrl(location));
            }

            return ValueTask.CompletedTask;
        }
    }
}
