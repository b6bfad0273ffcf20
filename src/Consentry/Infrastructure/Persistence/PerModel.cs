using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Consentry.Infrastructure.Persistence;

/// <summary>
/// One compiled query (<c>EF.CompileAsyncQuery</c>) per EF model. A compiled delegate binds itself to the model of the
/// first context it runs with and keeps it; a process can hold a SQLite and a PostgreSQL host (the tests do), whose
/// models differ, so a single static delegate would run SQLite's plan on PostgreSQL or the reverse.
/// </summary>
internal sealed class PerModel<T>(Func<T> compile)
    where T : class
{
    private readonly ConditionalWeakTable<IModel, T> _compiled = [];

    public T For(DbContext db) => _compiled.GetValue(db.Model, _ => compile());
}
