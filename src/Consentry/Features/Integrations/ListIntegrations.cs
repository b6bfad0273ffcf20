using Consentry.Core.Integrations;
using Consentry.Core.Persistence;
using Consentry.Infrastructure.Errors;
using Consentry.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Features.Integrations;

/// <summary><c>GET /integrations</c>: the catalogue as this client sees it (enabled or not), paged and queryable.</summary>
internal static class ListIntegrations
{
    public static async Task<Results<Ok<Paged<IntegrationResponse>>, CodatError>> Handle(
        [AsParameters] PageQuery page, ConsentryDbContext db, IntegrationCatalogue catalogue, PublicUrls urls,
        HttpRequest request, CancellationToken ct)
    {
        var views = await IntegrationViews.ForClientAsync(db, catalogue, ct);
        var result = Paging.ToPage(views, page, IntegrationView.Properties,
            q => q.OrderBy(i => i.SourceType).ThenBy(i => i.Name), v => v.ToResponse(urls), request);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : new CodatError(result.Error!);
    }
}

/// <summary><c>GET /integrations/{platformKey}</c>.</summary>
internal static class GetIntegration
{
    public static async Task<Results<Ok<IntegrationResponse>, CodatError>> Handle(
        string platformKey, ConsentryDbContext db, IntegrationCatalogue catalogue, PublicUrls urls, CancellationToken ct)
    {
        if (catalogue.Find(platformKey) is not { } integration)
        {
            return new CodatError(IntegrationMessages.NotFound(platformKey));
        }

        var setting = await db.IntegrationSettings.AsNoTracking().FirstOrDefaultAsync(s => s.PlatformKey == platformKey, ct);
        return TypedResults.Ok(new IntegrationView(integration, integration.IsEnabledFor(setting)).ToResponse(urls));
    }
}

internal static class IntegrationViews
{
    public static async Task<List<IntegrationView>> ForClientAsync(ConsentryDbContext db, IntegrationCatalogue catalogue, CancellationToken ct)
    {
        var settings = await db.IntegrationSettings.AsNoTracking().ToDictionaryAsync(s => s.PlatformKey, ct);
        return [.. catalogue.All.Select(i => new IntegrationView(i, i.IsEnabledFor(settings.GetValueOrDefault(i.PlatformKey))))];
    }

    public static IntegrationResponse ToResponse(this IntegrationView view, PublicUrls urls)
    {
        var i = view.Definition;
        return new IntegrationResponse(
            i.PlatformKey, urls.Absolute(BrandingImages.PathOf(i.PlatformKey, "logo-square")), i.Name, view.Enabled, i.SourceId, i.SourceType,
            i.IntegrationId, i.IsOfflineConnector, i.IsBeta, i.DataProvidedBy,
            [.. i.DataTypes.Select(d => new DataTypeFeatureResponse(d.DataType, d.Features))]);
    }
}
