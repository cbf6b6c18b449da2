package org.clubanonymiser.demo;

import java.util.List;

/**
 * Small built-in lists the demo generator draws from: French-looking first and last names, streets, cities with
 * their postcodes, member notes. No external data, nothing about real people; e-mail domains are reserved example
 * domains (RFC 2606 / RFC 6761) so a demo address can never reach anyone.
 */
final class DemoNames {

    private DemoNames() {
    }

    /** A city the clubs are named after: the club code prefix, its name and a few of its postcodes. */
    record City(String code, String name, List<String> postcodes) {
    }

    static final List<City> CITIES = List.of(
            new City("PAR", "Paris", List.of("75001", "75004", "75011", "75012", "75015", "75017", "75018", "75020")),
            new City("LYO", "Lyon", List.of("69001", "69003", "69006", "69007", "69008")),
            new City("MRS", "Marseille", List.of("13001", "13005", "13008", "13012", "13013")),
            new City("TLS", "Toulouse", List.of("31000", "31200", "31300", "31400", "31500")),
            new City("NCE", "Nice", List.of("06000", "06100", "06200", "06300")),
            new City("NTE", "Nantes", List.of("44000", "44100", "44200", "44300")),
            new City("STR", "Strasbourg", List.of("67000", "67100", "67200")),
            new City("MPL", "Montpellier", List.of("34000", "34070", "34080", "34090")),
            new City("BDX", "Bordeaux", List.of("33000", "33100", "33200", "33300", "33800")),
            new City("LIL", "Lille", List.of("59000", "59160", "59260", "59800")),
            new City("RNS", "Rennes", List.of("35000", "35200", "35700")),
            new City("REI", "Reims", List.of("51100")),
            new City("TLN", "Toulon", List.of("83000", "83100", "83200")),
            new City("GRE", "Grenoble", List.of("38000", "38100")),
            new City("DIJ", "Dijon", List.of("21000")),
            new City("ANG", "Angers", List.of("49000", "49100")),
            new City("NIM", "Nîmes", List.of("30000", "30900")),
            new City("CLF", "Clermont-Ferrand", List.of("63000", "63100")),
            new City("LEH", "Le Havre", List.of("76600", "76610", "76620")),
            new City("BRE", "Brest", List.of("29200")));

    static final List<String> FIRST_NAMES = List.of(
            "Camille", "Léa", "Manon", "Chloé", "Emma", "Inès", "Sarah", "Julie", "Clara", "Jade", "Louise", "Zoé",
            "Lucie", "Anaïs", "Hélène", "Isabelle", "Nathalie", "Sophie", "Valérie", "Sandrine", "Céline", "Aurélie",
            "Marie", "Anne-Sophie", "Élodie", "Margaux", "Pauline", "Océane", "Maëlle", "Agnès", "Thomas", "Lucas",
            "Hugo", "Louis", "Nathan", "Théo", "Jules", "Antoine", "Maxime", "Nicolas", "Julien", "Alexandre",
            "Romain", "Mathieu", "Guillaume", "Sébastien", "Jérôme", "François", "Pierre", "Jean-Pierre", "Philippe",
            "Olivier", "Stéphane", "Christophe", "Benoît", "Cédric", "Yannick", "Loïc", "Gaël", "Mehdi", "Karim",
            "Yasmine", "Samir", "Nadia", "Kevin", "Dylan", "Enzo", "Noah", "Léo", "Baptiste");

    static final List<String> LAST_NAMES = List.of(
            "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent",
            "Simon", "Michel", "Lefèvre", "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard",
            "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent", "Muller", "Lefebvre", "Faure", "André",
            "Mercier", "Blanc", "Guérin", "Boyer", "Garnier", "Chevalier", "François", "Legrand", "Gauthier",
            "Garcia", "Perrin", "Robin", "Clément", "Morin", "Nicolas", "Henry", "Roussel", "Mathieu", "Gautier",
            "Masson", "Marchand", "Duval", "Denis", "Dumont", "Marie", "Lemaire", "Noël", "Meyer", "Dufour",
            "Meunier", "Brun", "Blanchard", "Giraud", "Joly", "Rivière", "Lucas", "Brunet", "Gaillard", "Barbier",
            "Arnaud", "Martinez", "Gérard", "Roche", "Renard", "Schmitt", "Roy", "Leroux", "Colin", "Vidal",
            "Caron", "Picard", "Le Gall", "Le Goff", "Kerboul", "Benali", "Haddad", "Nguyen", "Da Silva",
            "Pereira", "de La Tour", "Saint-Martin", "N'Diaye", "Diallo", "Lacroix", "Besson", "Hoarau");

    static final List<String> STREET_TYPES = List.of("rue", "rue", "rue", "avenue", "boulevard", "place", "allée",
            "impasse", "chemin", "quai");

    static final List<String> STREET_NAMES = List.of("de la République", "Victor Hugo", "Jean Jaurès",
            "de la Gare", "des Lilas", "Pasteur", "du Général de Gaulle", "de la Paix", "des Écoles", "Voltaire",
            "Gambetta", "de la Liberté", "des Tilleuls", "du Moulin", "Jules Ferry", "de l'Église", "des Acacias",
            "Émile Zola", "du Château", "Carnot", "de Verdun", "des Roses", "Saint-Michel", "Anatole France",
            "du Port", "de la Fontaine", "Molière", "des Peupliers", "Louis Pasteur", "Foch");

    static final List<String> SECOND_LINES = List.of("Bâtiment A", "Bâtiment B", "Appartement 12", "Appartement 3",
            "Résidence les Tilleuls", "Résidence du Parc", "Escalier C", "2e étage");

    /** Reserved example domains: a demo address can never be delivered. */
    static final List<String> MAIL_DOMAINS = List.of("example.com", "example.net", "example.org", "exemple.test",
            "courriel.test", "mail.example");

    static final List<String> NOTES = List.of("Préfère les cours du soir.", "Vient surtout le week-end.",
            "Parrainé par un autre adhérent.", "A demandé un programme de remise en forme.",
            "Intéressé par le coaching individuel.", "Contacter de préférence par SMS.",
            "Carte perdue une fois, remplacée.", "Tarif étudiant à l'inscription.", "Suspension de 2 mois (voyage).",
            "Souhaite être rappelé pour l'offre duo.", "Cours collectifs : yoga, pilates.",
            "Participe au challenge de la rentrée.");
}
