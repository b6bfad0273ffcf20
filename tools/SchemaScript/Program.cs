// Usage: dotnet run --project tools/SchemaScript -- Sqlite|Postgres
// Prints the full CREATE script of the model. For the first migration that is the script; for later ones, compare it
// with the previous output and write the ALTER statements (the schema-equality test tells you when they match).
using Consentry.Core.Persistence;
using Consentry.Core.Tenancy;
using Microsoft.EntityFrameworkCore;

if (args.Length != 1 || !Enum.TryParse<DatabaseProvider>(args[0], ignoreCase: true, out var provider))
{
    Console.Error.WriteLine("usage: SchemaScript Sqlite|Postgres");
    return 2;
}

var connectionString = provider == DatabaseProvider.Sqlite ? "Data Source=:memory:" : "Host=unused";
var options = new DbContextOptionsBuilder<ConsentryDbContext>();
options.UseConsentryDatabase(provider, connectionString);
using var db = new ConsentryDbContext(options.Options);
Console.WriteLine(db.Database.GenerateCreateScript());
return 0;
