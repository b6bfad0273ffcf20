using Consentry.Infrastructure.Idempotency;

namespace Consentry.Features.Connections;

/// <summary>Codat's connections endpoints, under a company.</summary>
public static class ConnectionsEndpoints
{
    public static RouteGroupBuilder MapConnectionsApi(this RouteGroupBuilder api)
    {
        var connections = api.MapGroup("/companies/{companyId:guid}/connections").WithTags("Connections");
        connections.MapGet("/", ListConnections.Handle).WithName("list-connections");
        connections.MapPost("/", CreateConnection.Handle).WithName("create-connection").WithIdempotency();
        connections.MapGet("/{connectionId:guid}", GetConnection.Handle).WithName("get-connection");
        connections.MapPatch("/{connectionId:guid}", UnlinkConnection.Handle).WithName("unlink-connection");
        connections.MapDelete("/{connectionId:guid}", DeleteConnection.Handle).WithName("delete-connection");
        connections.MapPut("/{connectionId:guid}/authorization", UpdateAuthorization.Handle).WithName("update-connection-authorization");
        return api;
    }
}
