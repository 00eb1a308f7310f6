using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace OrleansSlm.ServiceDefaults.Configuration;

public static class ConfigurationExtensions
{
    /// <summary>
    /// The <c>Orleans</c> section, validated, for the code that shapes the host before its services exist (mode,
    /// clustering, ports). Services take <see cref="IOptions{OrleansOptions}"/> from <see cref="AddOrleansOptions"/>.
    /// </summary>
    public static OrleansOptions GetOrleansOptions(this IConfiguration configuration)
    {
        var options = configuration.GetSection(OrleansOptions.SectionName).Get<OrleansOptions>() ?? new OrleansOptions();
        var result = new OrleansOptionsValidator().Validate(Options.DefaultName, options);
        return result.Failed ? throw new OptionsValidationException(Options.DefaultName, typeof(OrleansOptions), result.Failures) : options;
    }

    /// <summary>Binds the <c>Orleans</c> section and checks it when the host starts; a second call (an embedded silo's) adds nothing.</summary>
    public static IServiceCollection AddOrleansOptions(this IServiceCollection services)
    {
        if (services.Any(service => service.ServiceType == typeof(IValidateOptions<OrleansOptions>)))
        {
            return services;
        }

        services.AddOptions<OrleansOptions>().BindConfiguration(OrleansOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OrleansOptions>, OrleansOptionsValidator>();
        return services;
    }

    /// <summary>The PostgreSQL connection string, or a start-up error that says which key is missing.</summary>
    public static string GetRequiredPostgresConnectionString(this IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString(ConnectionStringNames.Postgres);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                "ConnectionStrings:Postgres is not set (environment variable ConnectionStrings__Postgres). " +
                "Cluster mode keeps membership and grain state in PostgreSQL.");
        }

        return connectionString;
    }
}
