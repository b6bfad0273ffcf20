using Consentry.Core.Errors;
using Consentry.Core.Link;
using Consentry.Core.Persistence;

namespace Consentry.Features.Link;

/// <summary>
/// "Can't find yours?" on the company Link page: the customer names the platform they use, which the client does not
/// offer in that category. Stored for the client (the portal and <c>GET /monitoring/platformRequests</c> list them).
/// </summary>
public sealed class PlatformRequestWriter(ConsentryDbContext db, TimeProvider time)
{
    public async Task<Result<PlatformRequest>> SaveAsync(LinkContext link, string category, string? platformName, string? note, CancellationToken ct)
    {
        var name = platformName?.Trim() ?? "";
        var trimmedNote = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (name.Length == 0 || name.Length > PlatformRequest.MaxNameLength || name.Any(char.IsControl))
        {
            return Error.Validation("Enter the name of the platform you use (at most 100 characters).");
        }

        if (trimmedNote is { Length: > PlatformRequest.MaxNoteLength })
        {
            return Error.Validation("The note can be at most 500 characters.");
        }

        var request = new PlatformRequest
        {
            Id = Guid.CreateVersion7(), ClientId = link.Client.Id, CompanyId = link.Company.Id, Category = category,
            PlatformName = name, Note = trimmedNote, Locale = Localization.LinkLocales.Current, Created = time.GetUtcNow().UtcDateTime,
        };
        db.PlatformRequests.Add(request);
        await db.SaveChangesAsync(ct);
        return request;
    }
}
