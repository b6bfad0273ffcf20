using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace Consentry.Infrastructure.Errors;

/// <summary>
/// Turns exceptions into Codat error bodies. Bad requests (malformed JSON, wrong types, oversized bodies, unparsable
/// route or query values) keep their 4xx status; anything else is a 500 whose details stay in the log.
/// </summary>
internal sealed class ExceptionMapping(ILogger<ExceptionMapping> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (httpContext.Response.HasStarted)
        {
            return false;
        }

        switch (exception)
        {
            case BadHttpRequestException bad:
                await ErrorMapping.WriteAsync(httpContext, bad.StatusCode, Describe(bad));
                return true;
            case OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested:
                return true;
            default:
                logger.LogError(exception, "Unhandled exception (correlationId {CorrelationId})", Http.CorrelationId.Of(httpContext));
                await ErrorMapping.WriteAsync(httpContext, StatusCodes.Status500InternalServerError, "Unknown error occurred.");
                return true;
        }
    }

    private static string Describe(BadHttpRequestException bad) => bad switch
    {
        { StatusCode: StatusCodes.Status413PayloadTooLarge } => "Request body too large.",
        { InnerException: JsonException json } => $"The request body is not valid JSON for this operation: {JsonProblem(json)}",
        _ => bad.Message,
    };

    /// <summary>Says where the body is wrong without echoing our type names.</summary>
    private static string JsonProblem(JsonException json)
    {
        const string missing = "missing required properties including: ";
        var at = json.Path is { Length: > 0 } path ? path : "$";
        var index = json.Message.IndexOf(missing, StringComparison.Ordinal);
        return index >= 0
            ? $"missing required properties {json.Message[(index + missing.Length)..].TrimEnd('.')} at '{at}'."
            : $"invalid value at '{at}'.";
    }
}
