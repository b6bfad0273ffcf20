using Consentry.Connectors;
using Consentry.Features.ApiKeys;
using Consentry.Features.Companies;
using Consentry.Features.Connections;
using Consentry.Features.Consents;
using Consentry.Features.CustomData;
using Consentry.Features.Data;
using Consentry.Features.Integrations;
using Consentry.Features.KeyRing;
using Consentry.Features.Link;
using Consentry.Features.Monitoring;
using Consentry.Features.Portal;
using Consentry.Features.Settings;
using Consentry.Features.Sync;
using Consentry.Features.Webhooks;
using Consentry.Infrastructure.Abuse;
using Consentry.Infrastructure.Errors;
using Consentry.Infrastructure.Health;
using Consentry.Infrastructure.Hosting;
using Consentry.Infrastructure.Http;
using Consentry.Infrastructure.Idempotency;
using Consentry.Infrastructure.Observability;
using Consentry.Infrastructure.OpenApi;
using Consentry.Infrastructure.Persistence;
using Consentry.Infrastructure.Tenancy;

var builder = WebApplication.CreateBuilder(ContentRoot.Options(args));

builder.AddRequestLogging();

builder.AddPlatformApi();
builder.AddPersistence();
builder.AddHealth();
builder.AddTenancy();
builder.AddIntegrationCatalogue();
builder.AddPlatformConnectors();
builder.AddDomain();
builder.AddWebhooks();
builder.AddLink();
builder.AddSync();
builder.AddCustomData();
builder.AddConsents();
builder.AddMonitoring();
builder.AddPortal();
builder.AddKeyRotation();
builder.AddObservability();
builder.AddApiDocs();
builder.AddAbuseLimits();
builder.AddIdempotency();

var app = builder.Build();

app.UseTrustedProxies();
app.UseCorrelationId();
app.UseRequestLogging();
app.UseExceptionHandler();
app.UseCodatStatusCodeBodies();
app.UseRequestBodyLimit();
app.UseAuthentication();
app.UseAbuseLimits();
app.UseAuthorization();
app.UseIdempotencyKeys();
app.UseNullableBindingCheck();

app.MapHealth();
app.MapMetrics();
app.MapApiDocs();
app.MapBrandingImages();
app.MapLink();
app.MapPlatformSimulators();

app.MapPlatformApi()
    .MapCompaniesApi()
    .MapConnectionsApi()
    .MapIntegrationsApi()
    .MapSettingsApi()
    .MapApiKeysApi()
    .MapWebhooksApi()
    .MapSyncApi()
    .MapDataApi()
    .MapProductsApi()
    .MapConsentsApi()
    .MapMonitoringApi()
    .MapCustomDataApi()
    .MapNotServedOperations();

await app.PrepareDatabaseAsync();
if (await app.RunKeyCommandAsync(args))
{
    return;
}

await app.PreparePortalAsync();
app.CompactAfterStart();
await app.RunAsync();

/// <summary>The entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
