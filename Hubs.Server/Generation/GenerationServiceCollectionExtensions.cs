using Hubs.Contracts;
using Microsoft.Extensions.Options;
using Hubs.Server.Security;

namespace Hubs.Server.Generation;

internal static class GenerationServiceCollectionExtensions
{
    public static IServiceCollection AddGeneration(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GenerationOptions>().Bind(configuration.GetSection(GenerationOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GenerationOptions>, GenerationOptionsValidator>();
        services.AddHttpClient(OpenAiContentGenerator.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton<TemplateContentGenerator>();
        services.AddSingleton<OpenAiContentGenerator>();
        services.AddSingleton<IContentGenerator>(sp => sp.GetRequiredService<IOptions<GenerationOptions>>().Value.Backend switch
        {
            GenerationBackend.OpenAi => sp.GetRequiredService<OpenAiContentGenerator>(),
            _ => sp.GetRequiredService<TemplateContentGenerator>(),
        });
        services.AddSingleton<GenerationPipeline>();
        return services;
    }

    public static IEndpointRouteBuilder MapGeneration(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapSecuredHub<GenerationHub>(HubRoutes.Generation);
        return endpoints;
    }
}
