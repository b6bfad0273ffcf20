using System.Diagnostics;
using System.Security.Cryptography;

namespace Consentry.Infrastructure.Http;

/// <summary>
/// One 32-hex id per request (the W3C trace id when tracing is on): in every error body, in the
/// <c>X-Correlation-Id</c> response header and in the log scope of everything the request logs.
/// </summary>
public static class CorrelationId
{
    public const string Header = "X-Correlation-Id";
    private const string ItemKey = "Consentry.CorrelationId";

    public static string Of(HttpContext context)
    {
        if (context.Items[ItemKey] is string id)
        {
            return id;
        }

        id = Activity.Current?.TraceId.ToHexString() ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        context.Items[ItemKey] = id;
        return id;
    }

    public static IApplicationBuilder UseCorrelationId(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var id = Of(context);
            context.Response.Headers[Header] = id;
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Consentry.Requests");
            using (logger.BeginScope("CorrelationId:{CorrelationId}", id))
            {
                await next(context);
            }
        });
}
