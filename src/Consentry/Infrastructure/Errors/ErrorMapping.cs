using Consentry.Core.Errors;
using Consentry.Infrastructure.Http;

namespace Consentry.Infrastructure.Errors;

/// <summary>The one place where failures become HTTP: status codes and Codat's error body.</summary>
public static class ErrorMapping
{
    public static int StatusCodeOf(ErrorKind kind) => kind switch
    {
        ErrorKind.Validation or ErrorKind.MalformedQuery => StatusCodes.Status400BadRequest,
        ErrorKind.Unauthorized => StatusCodes.Status401Unauthorized,
        ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.PayloadTooLarge => StatusCodes.Status413PayloadTooLarge,
        ErrorKind.Unprocessable => StatusCodes.Status422UnprocessableEntity,
        ErrorKind.UnavailableForLegalReasons => StatusCodes.Status451UnavailableForLegalReasons,
        ErrorKind.NotImplemented => StatusCodes.Status501NotImplemented,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static async Task WriteAsync(HttpContext context, int statusCode, string message, IReadOnlyList<string>? validationErrors = null)
    {
        var correlationId = CorrelationId.Of(context);
        var validation = validationErrors is { Count: > 0 }
            ? new CodatValidation([.. validationErrors.Select(e => new CodatValidationItem(null, e, null))], [])
            : null;
        var body = new CodatErrorBody(statusCode, CodatError.Service, message, correlationId, validation);

        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Consentry.Errors").Log(
            statusCode >= 500 ? LogLevel.Error : LogLevel.Information,
            "{Method} {Path} answered {StatusCode}: {Error} (correlationId {CorrelationId})",
            context.Request.Method, context.Request.Path.Value, statusCode, message, correlationId);

        context.Response.StatusCode = statusCode;
        // Set again here: the exception handler clears the headers the correlation middleware wrote.
        context.Response.Headers[CorrelationId.Header] = correlationId;
        await context.Response.WriteAsJsonAsync(body, ApiJson.Options, context.RequestAborted);
    }
}
