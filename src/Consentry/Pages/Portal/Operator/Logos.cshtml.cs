using Consentry.Core.Errors;
using Consentry.Core.Integrations;
using Consentry.Features.Integrations;
using Consentry.Features.Portal;
using Microsoft.AspNetCore.Mvc;

namespace Consentry.Pages.Portal.Operator;

/// <summary>
/// Operators only (the Operator folder's policy): upload each integration's logo files, which replace the drawn images
/// for every client (a platform's logo is the same whoever links to it), and remove them to go back to the default.
/// </summary>
// Somewhat above the 256 KB a logo may have, so an oversized file still gets the page's message rather than a bare 413.
[RequestFormLimits(MultipartBodyLengthLimit = 2 * LogoValidation.MaxBytes)]
public sealed class LogosModel(IntegrationLogoStore logos, IntegrationCatalogue catalogue) : PortalPageModel
{
    public IReadOnlyList<IntegrationDefinition> Integrations => catalogue.All;

    public IReadOnlyList<(string PlatformKey, string Variant, string ContentType, int Size, DateTime Updated)> Uploaded { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Uploaded = await logos.ListAsync(ct);

    public async Task<IActionResult> OnPostUploadAsync(string? platformKey, string? variant, IFormFile? file, CancellationToken ct)
    {
        if (file is null)
        {
            return await FailAsync(Core.Errors.Error.Validation("Choose a PNG, WebP or SVG file to upload."), ct);
        }

        if (file.Length > LogoValidation.MaxBytes)
        {
            return await FailAsync(Core.Errors.Error.Validation($"The logo is {file.Length / 1024} KB; at most 256 KB is accepted."), ct);
        }

        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, ct);
        var key = platformKey ?? "";
        var name = variant ?? "logo-square";
        if (await logos.SaveAsync(key, name, buffer.ToArray(), ct) is { } error)
        {
            return await FailAsync(error, ct);
        }

        Notice = $"The {name} of {catalogue.Find(key)!.Name} is now the uploaded file.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRemoveAsync(string? platformKey, string? variant, CancellationToken ct)
    {
        if (await logos.RemoveAsync(platformKey ?? "", variant ?? "", ct) is { } error)
        {
            return await FailAsync(error, ct);
        }

        Notice = $"The {variant} of {catalogue.Find(platformKey!)!.Name} is back to the default.";
        return RedirectToPage();
    }

    private async Task<IActionResult> FailAsync(Error error, CancellationToken ct)
    {
        Error = error.Message;
        await OnGetAsync(ct);
        Response.StatusCode = error.Kind == ErrorKind.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest;
        return Page();
    }
}
