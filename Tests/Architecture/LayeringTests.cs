using System.Reflection;
using System.Xml.Linq;
using OrleansSlm.Engine.Configuration;
using OrleansSlm.GrainsInterfaces.Inference;
using OrleansSlm.ServiceDefaults.Hosting;

namespace OrleansSlm.Tests.Architecture;

/// <summary>
/// The projects form layers (docs/architecture.md, "Projects"): the engine knows no HTTP, Orleans, PostgreSQL or
/// Redis; the frontend speaks to the cluster through the grain interfaces only. These tests read both the project
/// files and the compiled assemblies, so a new reference and a new use of a type from the wrong layer both fail.
/// </summary>
public sealed class LayeringTests
{
    private static readonly string[] EngineForbidden = ["Microsoft.AspNetCore", "Orleans", "Microsoft.Orleans", "Npgsql", "StackExchange.Redis", "OpenTelemetry"];

    /// <summary>Each project and the projects it may reference; the Frontend's Grains reference is the embedded silo's, dropped by -p:EmbeddedSilo=false.</summary>
    private static readonly Dictionary<string, string[]> IntendedReferences = new()
    {
        ["Engine/Engine.csproj"] = [],
        ["ServiceDefaults/ServiceDefaults.csproj"] = [],
        ["Grains.Interfaces/Grains.Interfaces.csproj"] = [],
        ["Grains/Grains.csproj"] = ["Engine", "Grains.Interfaces", "ServiceDefaults"],
        ["Silo/Silo.csproj"] = ["Grains", "ServiceDefaults"],
        ["Frontend/Frontend.csproj"] = ["Grains", "Grains.Interfaces", "ServiceDefaults"],
        ["bench/OrleansSlm.Bench/OrleansSlm.Bench.csproj"] = ["Engine"],
    };

    [Fact]
    public void Every_project_references_only_the_layers_below_it()
    {
        var root = RepositoryRoot();
        var projects = Directory.EnumerateFiles(root, "*.csproj", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(path => !path.StartsWith("Tests/", StringComparison.Ordinal) && !path.Contains("/obj/", StringComparison.Ordinal) && !path.Contains("/bin/", StringComparison.Ordinal))
            .Order()
            .ToArray();

        Assert.Equal(IntendedReferences.Keys.Order(), projects);
        foreach (var (project, intended) in IntendedReferences)
        {
            Assert.True(intended.SequenceEqual(ProjectReferences(root, project)),
                $"{project} references [{string.Join(", ", ProjectReferences(root, project))}]; the layers allow [{string.Join(", ", intended)}].");
        }
    }

    [Fact]
    public void The_frontend_takes_the_grains_only_for_the_embedded_silo()
    {
        var project = XDocument.Load(Path.Combine(RepositoryRoot(), "Frontend", "Frontend.csproj"));
        var grains = project.Descendants("ProjectReference").Single(reference => reference.Attribute("Include")!.Value.Contains("Grains.csproj", StringComparison.Ordinal));

        Assert.Equal("'$(EmbeddedSilo)' == 'true'", grains.Parent!.Attribute("Condition")?.Value);
    }

    [Fact]
    public void The_engine_references_no_web_cluster_database_or_cache_package()
    {
        var project = XDocument.Load(Path.Combine(RepositoryRoot(), "Engine", "Engine.csproj"));
        var packages = project.Descendants("PackageReference").Select(reference => reference.Attribute("Include")!.Value).ToArray();

        Assert.Empty(project.Descendants("FrameworkReference"));
        Assert.DoesNotContain(packages, package => EngineForbidden.Any(prefix => package.StartsWith(prefix, StringComparison.Ordinal)));
        Assert.DoesNotContain(ReferencedAssemblies(typeof(ModelOptions).Assembly), name => EngineForbidden.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal)));
    }

    [Fact]
    public void The_frontend_uses_no_engine_type()
    {
        // The compiler records an assembly reference only for assemblies whose types the code uses.
        var frontend = ReferencedAssemblies(typeof(Program).Assembly);

        Assert.Contains("OrleansSlm.Grains.Interfaces", frontend);
        Assert.DoesNotContain("OrleansSlm.Engine", frontend);
        Assert.DoesNotContain(frontend, name => name.StartsWith("Microsoft.ML", StringComparison.Ordinal));
    }

    [Fact]
    public void Grain_interfaces_and_service_defaults_use_no_engine_type()
    {
        Assert.DoesNotContain("OrleansSlm.Engine", ReferencedAssemblies(typeof(IInferenceGrain).Assembly));
        Assert.DoesNotContain("OrleansSlm.Engine", ReferencedAssemblies(typeof(StartupException).Assembly));
        Assert.DoesNotContain("OrleansSlm.ServiceDefaults", ReferencedAssemblies(typeof(IInferenceGrain).Assembly));
    }

    [Fact]
    public void Every_assembly_is_named_for_the_product()
    {
        Assembly[] assemblies = [typeof(ModelOptions).Assembly, typeof(StartupException).Assembly, typeof(IInferenceGrain).Assembly,
            typeof(OrleansSlm.Grains.Inference.InferenceGrain).Assembly, typeof(Program).Assembly, typeof(LayeringTests).Assembly];

        Assert.All(assemblies, assembly => Assert.StartsWith("OrleansSlm.", assembly.GetName().Name, StringComparison.Ordinal));
    }

    private static string[] ReferencedAssemblies(Assembly assembly) =>
        [.. assembly.GetReferencedAssemblies().Select(name => name.Name!)];

    private static string[] ProjectReferences(string root, string project) =>
        [.. XDocument.Load(Path.Combine(root, project)).Descendants("ProjectReference")
            .Select(reference => Path.GetFileNameWithoutExtension(reference.Attribute("Include")!.Value.Replace('\\', '/')))
            .Order()];

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "OrleansSlm.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No OrleansSlm.sln above {AppContext.BaseDirectory}.");
    }
}
