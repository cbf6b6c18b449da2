package org.clubanonymiser.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.servlet.MultipartConfigElement;

import org.clubanonymiser.export.ExportFiles;
import org.clubanonymiser.export.ExportRecords;
import org.clubanonymiser.importing.ImportEntryRepository;
import org.clubanonymiser.importing.ImportProperties;
import org.clubanonymiser.metrics.EligibleMembersGauge;
import org.clubanonymiser.support.storage.StorageLayout;
import org.clubanonymiser.web.dashboard.Dashboard;
import org.clubanonymiser.web.export.Exports;
import org.clubanonymiser.web.importing.Imports;
import org.clubanonymiser.web.jobs.WebJobLauncher;
import org.clubanonymiser.web.security.CurrentUser;
import org.clubanonymiser.web.security.DenialLogging;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.MessageSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.i18n.CookieLocaleResolver;
import org.springframework.web.servlet.i18n.LocaleChangeInterceptor;

/**
 * Server mode's admin UI and REST API (docs/web-api.md): the services behind both, and the
 * language (French or English: {@code ?lang=fr|en}, kept in a cookie; else the browser's {@code Accept-Language}; an invalid
 * {@code lang} is ignored).
 */
@ServerMode
@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

    @Bean
    Exports exports(ExportRecords exportRecords, ExportFiles exportFiles, WebJobLauncher webJobLauncher,
            @Qualifier("exportJob") Job exportJob, CurrentUser currentUser) {
        return new Exports(exportRecords, exportFiles, webJobLauncher, exportJob, currentUser);
    }

    @Bean
    Imports imports(NamedParameterJdbcTemplate namedParameterJdbcTemplate, StorageLayout storageLayout,
            WebJobLauncher webJobLauncher, @Qualifier("importJob") Job importJob, CurrentUser currentUser,
            JobRepository jobRepository, ImportEntryRepository importEntryRepository) {
        return new Imports(namedParameterJdbcTemplate, importEntryRepository, storageLayout, webJobLauncher, importJob,
                currentUser, jobRepository);
    }

    @Bean
    Dashboard dashboard(EligibleMembersGauge eligibleMembersGauge, CurrentUser currentUser,
            JdbcTemplate jdbcTemplate) {
        return new Dashboard(eligibleMembersGauge, currentUser, jdbcTemplate);
    }

    /**
     * Uploads: at most {@code anonymiser.import.max-file-size} (the import's own limit: larger is stopped at the
     * door), always written to disk in the product's temp dir (swept at start-up, never {@code /tmp}): a reviewed
     * workbook is a file of names.
     */
    @Bean
    MultipartConfigElement multipartConfigElement(ImportProperties importProperties, StorageLayout storageLayout) {
        Path location = storageLayout.tempDir().resolve("multipart");
        try {
            Files.createDirectories(location);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        long max = importProperties.maxFileSize().toBytes();
        return new MultipartConfigElement(location.toString(), max, max + 1024 * 1024, 0);
    }

    @Bean
    PageMessages pageMessages(MessageSource messageSource, DenialLogging denialLogging) {
        return new PageMessages(messageSource, denialLogging);
    }

    @Bean
    LocaleResolver localeResolver() {
        // No default locale: without the cookie, the browser's Accept-Language decides (English when neither).
        return new CookieLocaleResolver("anonymiser-lang");
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        LocaleChangeInterceptor interceptor = new LocaleChangeInterceptor();
        interceptor.setParamName("lang");
        // ?lang=<anything not a locale> is ignored (the page in the current language), not a 500 with a stack trace.
        interceptor.setIgnoreInvalidLocale(true);
        registry.addInterceptor(interceptor);
    }
}
