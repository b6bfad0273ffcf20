using System.Runtime.CompilerServices;
using Consentry.Core.Persistence;

namespace Consentry.Api.Tests.Infrastructure;

/// <summary>
/// The host's first SQLite use goes through <see cref="SqliteEngine"/>, which applies SQLite's process-wide settings before
/// the library starts. Tests open SQLite in many ways (raw connections, design-time factories), in any order, so the
/// test process applies them first, as the host does: every test then runs SQLite configured like production.
/// </summary>
internal static class SqliteStartsLikeTheHost
{
#pragma warning disable CA2255 // a module initializer is the only thing guaranteed to run before any test touches SQLite
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Configure() => SqliteEngine.Configure();
}
