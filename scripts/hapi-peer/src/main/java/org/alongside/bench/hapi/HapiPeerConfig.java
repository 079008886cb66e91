package org.alongside.bench.hapi;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.config.ThreadPoolFactoryConfig;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.batch2.JpaBatch2Config;
import ca.uhn.fhir.batch2.jobs.config.Batch2JobsConfig;
import ca.uhn.fhir.jpa.config.HapiJpaConfig;
import ca.uhn.fhir.jpa.config.r4.JpaR4Config;
import ca.uhn.fhir.jpa.config.util.HapiEntityManagerFactoryUtil;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.config.SubscriptionSettings;
import ca.uhn.fhir.jpa.provider.JpaCapabilityStatementProvider;
import ca.uhn.fhir.jpa.provider.JpaSystemProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.jpa.subscription.channel.config.SubscriptionChannelConfig;
import ca.uhn.fhir.narrative2.NullNarrativeGenerator;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.interceptor.LoggingInterceptor;
import ca.uhn.fhir.rest.server.interceptor.ResponseHighlighterInterceptor;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import ca.uhn.fhir.rest.server.IncomingRequestAddressStrategy;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import jakarta.persistence.EntityManagerFactory;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;

/**
 * The HAPI FHIR JPA server (R4) wired as HAPI's JPA starter wires it with its default application.yaml: HAPI's own
 * Spring configurations, a Hikari pool of 10, Hibernate creating the schema, no validation, no authorization, no
 * subscriptions, no narratives, database-backed paging, request logging. Only what the starter takes from Spring
 * Boot (the servlet container, property binding) is done by hand in {@link HapiPeer}.
 */
@Configuration
@Import({JpaR4Config.class, HapiJpaConfig.class, ThreadPoolFactoryConfig.class, JpaBatch2Config.class,
        Batch2JobsConfig.class, SubscriptionChannelConfig.class})
public class HapiPeerConfig {

    /** Set by {@link HapiPeer} before the context starts. */
    static PeerSettings settings;

    @Bean
    public JpaStorageSettings storageSettings() {
        JpaStorageSettings storage = new JpaStorageSettings();
        // The values the starter sets from its defaults where they differ from JpaStorageSettings' own.
        storage.setAllowContainsSearches(true);
        storage.setFilterParameterEnabled(true);
        storage.setFetchSizeDefaultMaximum(Integer.MAX_VALUE);
        storage.setExpireSearchResultsAfterMillis(60L * 60 * 1000);
        storage.setIndexMissingFields(JpaStorageSettings.IndexEnabledEnum.DISABLED);
        // The starter reuses an identical search's results for 60 s; the benchmark says which it measured.
        storage.setReuseCachedSearchResultsForMillis(settings.reuseCachedSearchMillis());
        return storage;
    }

    @Bean
    public PartitionSettings partitionSettings() {
        return new PartitionSettings();
    }

    @Bean
    public SubscriptionSettings subscriptionSettings() {
        return new SubscriptionSettings();
    }

    @Bean(destroyMethod = "close")
    public DataSource dataSource() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.jdbcUrl());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(10);
        config.setPoolName("hapi-peer");
        return new HikariDataSource(config);
    }

    @Primary
    @Bean
    public LocalContainerEntityManagerFactoryBean entityManagerFactory(ConfigurableListableBeanFactory beanFactory,
            FhirContext fhirContext, JpaStorageSettings storageSettings, DataSource dataSource) {
        LocalContainerEntityManagerFactoryBean factory =
                HapiEntityManagerFactoryUtil.newEntityManagerFactory(beanFactory, fhirContext, storageSettings);
        Map<String, Object> jpa = new HashMap<>();
        jpa.put("hibernate.dialect", settings.dialect());
        // "create", not the starter's "update": the schema is new and empty (HapiPeer drops it at start) either way,
        // and "update" took sequences it found in any schema (another peer's) for its own and skipped creating them
        jpa.put("hibernate.hbm2ddl.auto", "create");
        jpa.put("hibernate.jdbc.batch_size", "20");
        jpa.put("hibernate.format_sql", "false");
        jpa.put("hibernate.show_sql", "false");
        jpa.put("hibernate.cache.use_query_cache", "false");
        jpa.put("hibernate.cache.use_second_level_cache", "false");
        jpa.put("hibernate.cache.use_structured_entries", "false");
        jpa.put("hibernate.cache.use_minimal_puts", "false");
        jpa.put("hibernate.search.enabled", "false");
        jpa.put("hibernate.archive.scanner", "org.hibernate.boot.archive.scan.internal.DisabledScanner");
        factory.setPersistenceUnitName("HAPI_PU");
        factory.setJpaPropertyMap(jpa);
        factory.setDataSource(dataSource);
        return factory;
    }

    @Primary
    @Bean
    public JpaTransactionManager transactionManager(EntityManagerFactory entityManagerFactory) {
        JpaTransactionManager manager = new JpaTransactionManager();
        manager.setEntityManagerFactory(entityManagerFactory);
        return manager;
    }

    @Bean
    public LoggingInterceptor loggingInterceptor() {
        LoggingInterceptor logging = new LoggingInterceptor();
        logging.setLoggerName("fhirtest.access");
        logging.setMessageFormat("Path[${servletPath}] Source[${requestHeader.x-forwarded-for}] "
                + "Operation[${operationType} ${operationName} ${idOrResourceName}] UA[${requestHeader.user-agent}] "
                + "Params[${requestParameters}] ResponseEncoding[${responseEncodingNoDefault}]");
        logging.setLogExceptions(true);
        logging.setErrorMessageFormat("ERROR - ${requestVerb} ${requestUrl}");
        return logging;
    }

    @Bean
    public RestfulServer restfulServer(IFhirSystemDao<?, ?> systemDao, ResourceProviderFactory providers,
            JpaSystemProvider<?, ?> systemProvider, JpaStorageSettings storageSettings,
            ISearchParamRegistry searchParamRegistry, IValidationSupport validationSupport,
            DatabaseBackedPagingProvider pagingProvider, LoggingInterceptor loggingInterceptor) {
        FhirContext fhirContext = systemDao.getContext();
        fhirContext.setNarrativeGenerator(new NullNarrativeGenerator());
        RestfulServer server = new RestfulServer(fhirContext);
        server.registerProviders(providers.createProviders());
        server.registerProvider(systemProvider);
        server.setServerConformanceProvider(new JpaCapabilityStatementProvider(
                server, systemDao, storageSettings, searchParamRegistry, validationSupport));
        server.setDefaultPrettyPrint(true);
        server.setDefaultResponseEncoding(ca.uhn.fhir.rest.api.EncodingEnum.JSON);
        server.setPagingProvider(pagingProvider);
        server.registerInterceptor(new ResponseHighlighterInterceptor());
        server.registerInterceptor(loggingInterceptor);
        server.setServerAddressStrategy(new IncomingRequestAddressStrategy());
        return server;
    }
}
