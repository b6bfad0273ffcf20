using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Consentry.Core.Persistence;

/// <summary>Stores DateTimes as UTC and reads them back with <see cref="DateTimeKind.Utc"/>.</summary>
public sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
