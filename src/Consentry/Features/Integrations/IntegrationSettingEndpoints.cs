using Consentry.Core.Errors;
using Consentry.Core.Integrations;
using Consentry.Core.Persistence;
using Consentry.Core.Security;
using Consentry.Infrastructure.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Consentry.Features.Integrations;

/// <summary>
/// Our extension (Codat keeps this in its portal): switch an integration on or off and set the client's own OAuth
/// client id and secret for a real platform; HTTP over <see cref="ManageIntegrationSettings"/>.
/// </summary>
internal static class IntegrationSettingEndpoints
{
    public static async Task<Results<Ok<IntegrationSettingsResponse>, CodatError>> Get(
        string platformKey, ConsentryDbContext db, IntegrationCatalogue catalogue, CancellationToken ct) =>
        Answer(await ManageIntegrationSettings.GetAsync(platformKey, db, catalogue, ct));

    public static async Task<Results<Ok<IntegrationSettingsResponse>, CodatError>> Put(
        string platformKey, IntegrationSettingsRequest? body, ConsentryDbContext db, IntegrationCatalogue catalogue,
        SecretProtector secrets, TimeProvider time, CancellationToken ct) =>
        Answer(await ManageIntegrationSettings.SaveAsync(platformKey, body, db, catalogue, secrets, time, ct));

    public static async Task<Results<NoContent, CodatError>> Delete(
        string platformKey, ConsentryDbContext db, IntegrationCatalogue catalogue, CancellationToken ct) =>
        await ManageIntegrationSettings.DeleteAsync(platformKey, db, catalogue, ct) is { } error ? new CodatError(error) : TypedResults.NoContent();

    private static Results<Ok<IntegrationSettingsResponse>, CodatError> Answer(Result<IntegrationSettingsResponse> result) =>
        result.IsSuccess ? TypedResults.Ok(result.Value!) : new CodatError(result.Error!);
}
