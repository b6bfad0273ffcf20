namespace Consentry.Features.Settings;

/// <summary>Codat's settings endpoints: profile, CORS and sync settings.</summary>
public static class SettingsEndpoints
{
    public static RouteGroupBuilder MapSettingsApi(this RouteGroupBuilder api)
    {
        var settings = api.MapGroup("").WithTags("Settings");
        settings.MapGet("/profile", ProfileSettings.Get).WithName("get-profile");
        settings.MapPut("/profile", ProfileSettings.Put).WithName("update-profile");
        settings.MapGet("/corsSettings", CorsSettings.Get).WithName("get-cors-settings");
        settings.MapPost("/corsSettings", CorsSettings.Set).WithName("set-cors-settings");
        // The deprecated path that Codat's SDKs still call for cors.get / cors.set.
        settings.MapGet("/connectionManagement/corsSettings", CorsSettings.Get).WithName("get-connection-management-cors-settings");
        settings.MapPost("/connectionManagement/corsSettings", CorsSettings.Set).WithName("set-connection-management-cors-settings");
        settings.MapGet("/settings/link", LinkSettingsEndpoints.Get).WithName("get-link-settings");
        settings.MapPut("/settings/link", LinkSettingsEndpoints.Put).WithName("set-link-settings");
        settings.MapGet("/profile/syncSettings", SyncSettingsEndpoints.GetForClient).WithName("get-profile-syncSettings");
        settings.MapPost("/profile/syncSettings", SyncSettingsEndpoints.SetForClient).WithName("update-profile-syncSettings");
        settings.MapGet("/companies/{companyId:guid}/syncSettings", SyncSettingsEndpoints.GetForCompany).WithName("get-company-syncSettings");
        settings.MapPost("/companies/{companyId:guid}/syncSettings", SyncSettingsEndpoints.SetForCompany).WithName("set-company-syncSettings");
        return api;
    }
}
