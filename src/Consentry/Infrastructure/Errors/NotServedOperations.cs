using Consentry.Core.Errors;

namespace Consentry.Infrastructure.Errors;

/// <summary>Marks an endpoint that answers 501 for a Codat operation Consentry does not implement.</summary>
public sealed class NotServedOperation(string operationId)
{
    public string OperationId { get; } = operationId;
}

/// <summary>
/// Codat's operations that Consentry does not implement answer 501 in Codat's error shape, so an app can tell "not
/// implemented" from a missing record (404) and from a path that is no Codat operation (404 from routing). They are
/// the write side of Codat's API: Consentry reads from platforms and never pushes to them, so it has no push
/// operations, no push history and no create/update model options.
/// </summary>
public static class NotServedOperations
{
    private const string Reason = "Consentry reads data from platforms and does not write to them, so it has no push operations.";

    public static RouteGroupBuilder MapNotServedOperations(this RouteGroupBuilder api)
    {
        NotServed(api.MapGet("/companies/{companyId:guid}/connections/{connectionId:guid}/options/{dataType}", Answer), "get-create-update-model-options-by-data-type");
        NotServed(api.MapGet("/companies/{companyId:guid}/push", Answer), "get-company-push-history");
        NotServed(api.MapGet("/companies/{companyId:guid}/push/{pushOperationKey}", Answer), "get-push-operation");
        // Codat's create, update and delete operations of its Accounting, Banking and Commerce APIs all live here.
        NotServed(api.MapMethods("/companies/{companyId:guid}/connections/{connectionId:guid}/push/{**dataType}", ["GET", "POST", "PUT", "PATCH", "DELETE"], Answer),
            "push-data");
        return api;
    }

    private static void NotServed(RouteHandlerBuilder endpoint, string operationId) =>
        endpoint.WithName(operationId).WithTags("Not implemented").WithMetadata(new NotServedOperation(operationId)).ExcludeFromDescription();

    private static CodatError Answer(HttpContext context)
    {
        var operation = context.GetEndpoint()?.Metadata.GetMetadata<NotServedOperation>()?.OperationId ?? "This operation";
        return new CodatError(new Error(ErrorKind.NotImplemented, $"{operation} is not implemented by Consentry: {Reason}"));
    }
}
