using System.Reflection;
using System.Text.Json.Serialization;
using Consentry.Core.Errors;
using Microsoft.AspNetCore.Http.Metadata;

namespace Consentry.Infrastructure.Errors;

/// <summary>Codat's <c>ErrorMessage</c> body: the only error shape Consentry ever answers with.</summary>
public sealed record CodatErrorBody(
    int StatusCode,
    string Service,
    string Error,
    string CorrelationId,
    CodatValidation? Validation,
    string CanBeRetried = "Unknown",
    int DetailedErrorCode = 0);

public sealed record CodatValidation(IReadOnlyList<CodatValidationItem> Errors, IReadOnlyList<CodatValidationItem> Warnings);

public sealed record CodatValidationItem(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? ItemId,
    string Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? ValidatorName);

/// <summary>An <see cref="Error"/> as an HTTP result. Handlers return it inside <c>Results&lt;…, CodatError&gt;</c>.</summary>
public sealed class CodatError(Error error) : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult
{
    public const string Service = "PublicApi";

    public Error Error { get; } = error;

    public int StatusCode => ErrorMapping.StatusCodeOf(Error.Kind);

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    public static implicit operator CodatError(Error error) => new(error);

    public Task ExecuteAsync(HttpContext httpContext) =>
        ErrorMapping.WriteAsync(httpContext, StatusCode, Error.Message, Error.ValidationErrors);

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status400BadRequest, typeof(CodatErrorBody), ["application/json"]));
}
