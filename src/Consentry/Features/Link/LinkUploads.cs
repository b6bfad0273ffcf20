using Consentry.Core.Errors;
using Consentry.Core.Link;
using Consentry.Core.Persistence;
using Consentry.Infrastructure.Options;
using Microsoft.Extensions.Options;

namespace Consentry.Features.Link;

/// <summary>
/// Files a customer uploads instead of connecting a platform (the hosted company Link and the SDK's embedded journey):
/// PDF, CSV or XLSX of at most 10 MB, checked by content (not just by name), stored under the data directory per
/// client and company.
/// </summary>
public sealed class LinkUploads(ConsentryDbContext db, LinkJourney journey, IOptions<ConsentryOptions> options, TimeProvider time)
{
    private static readonly Dictionary<string, string> Allowed = new(StringComparer.OrdinalIgnoreCase)
    {
        [".pdf"] = "application/pdf",
        [".csv"] = "text/csv",
        [".xlsx"] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    };

    /// <summary>Stores the file for the category (whose settings allow uploads) and records the journey step.</summary>
    public async Task<Result<UploadedFile>> SaveAsync(LinkContext link, string category, Core.Connections.SourceType sourceType, IFormFile? file, CancellationToken ct)
    {
        var extension = Path.GetExtension(file?.FileName ?? "").ToLowerInvariant();
        if (file is null || file.Length == 0 || file.Length > UploadedFile.MaxBytes || !Allowed.TryGetValue(extension, out var contentType))
        {
            return Error.Validation("Choose a PDF, CSV or XLSX file of at most 10 MB.");
        }

        var companyId = link.Company.Id;
        var id = Guid.CreateVersion7();
        var relative = Path.Combine("uploads", link.Client.Id.ToString("N"), companyId.ToString("N"), id.ToString("N") + extension);
        var path = Path.Combine(Path.GetFullPath(options.Value.DataDirectory), relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using (var source = file.OpenReadStream())
        {
            var head = new byte[4096];
            var read = await source.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
            if (!LooksLike(extension, head.AsSpan(0, read)))
            {
                return Error.Readable(ErrorKind.Validation, $"That file is not a real {extension[1..].ToUpperInvariant()} file.");
            }

            source.Position = 0;
            await using var target = File.Create(path);
            await source.CopyToAsync(target, ct);
        }

        var name = Path.GetFileName(file.FileName);
        var uploaded = new UploadedFile
        {
            Id = id, CompanyId = companyId, Category = category, FileName = name[..Math.Min(255, name.Length)],
            ContentType = contentType, Size = file.Length, StoredPath = relative, Uploaded = time.GetUtcNow().UtcDateTime,
        };
        db.UploadedFiles.Add(uploaded);
        await db.SaveChangesAsync(ct);
        await journey.RecordAsync(companyId, JourneyStep.FileUploaded, detail: category, sourceType: sourceType, ct: ct);
        return uploaded;
    }

    /// <summary>Checks the content, not just the name: PDF starts with %PDF, XLSX is a zip, CSV is text.</summary>
    private static bool LooksLike(string extension, ReadOnlySpan<byte> head) => extension switch
    {
        ".pdf" => head.StartsWith("%PDF"u8),
        ".xlsx" => head.StartsWith("PK\u0003\u0004"u8),
        ".csv" => head.Length > 0 && !head.Contains((byte)0),
        _ => false,
    };
}
