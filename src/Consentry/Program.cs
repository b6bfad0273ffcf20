using Consentry.Features.ApiKeys;
using Consentry.Features.Companies;
using Consentry.Features.Connections;
using Consentry.Features.Data;
using Consentry.Features.Integrations;
using Consentry.Features.Link;
using Consentry.Features.Monitoring;
using Consentry.Features.Portal;
using Consentry.Features.Settings;
using Consentry.Features.Sync;
using Consentry.Features.Webhooks;
using Consentry.Infrastructure.Abuse;
using Consentry.Infrastructure.Errors;
using Consentry.Infrastructure.Http;
using Consentry.Infrastructure.Idempotency;
using Consentry.Infrastructure.OpenApi;
using Consentry.Infrastructure.Persistence;
using Consentry.Infrastructure.Tenancy;

var builder = WebApplication.CreateBuilder(args);

builder.AddPlatformApi();
builder.AddPersistence();
builder.AddTenancy();
builder.AddIntegrationCatalogue();
builder.AddWebhooks();
builder.AddLink();
builder.AddSync();
builder.AddMonitoring();
builder.AddPortal();
builder.AddApiDocs();
builder.AddAbuseLimits();
builder.AddIdempotency();

var app = builder.Build();

app.UseTrustedProxies();
app.UseCorrelationId();
app.UseExceptionHandler();
app.UseCodatStatusCodeBodies();
app.UseRequestBodyLimit();
app.UseAuthentication();
app.UseAbuseLimits();
app.UseAuthorization();
app.UseIdempotencyKeys();

app.MapHealthChecks("/healthz").AllowAnonymous();
app.MapApiDocs();
app.MapBrandingImages();
app.MapLink();

app.MapPlatformApi()
    .MapCompaniesApi()
    .MapConnectionsApi()
    .MapIntegrationsApi()
    .MapSettingsApi()
    .MapApiKeysApi()
    .MapWebhooksApi()
    .MapSyncApi()
    .MapDataApi()
    .MapMonitoringApi();

await app.PrepareDatabaseAsync();
await app.PreparePortalAsync();
await app.RunAsync();

/// <summary>The entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
