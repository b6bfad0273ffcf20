using Consentry.Core.Tenancy;

namespace Consentry.Core.Link;

/// <summary>A document a customer uploaded instead of connecting a platform, stored under the data directory.</summary>
public sealed class UploadedFile : IClientOwned
{
    public const long MaxBytes = 10 * 1024 * 1024;

    public Guid Id { get; set; }

    public Guid ClientId { get; set; }

    public Guid CompanyId { get; set; }

    /// <summary><c>accounting</c>, <c>banking</c>, <c>commerce</c> or <c>businessDocuments</c>.</summary>
    public required string Category { get; set; }

    public required string FileName { get; set; }

    public required string ContentType { get; set; }

    public long Size { get; set; }

    /// <summary>Relative to the data directory.</summary>
    public required string StoredPath { get; set; }

    public DateTime Uploaded { get; set; }
}
