package org.clubanonymiser.support.account;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/** A row of {@code club}: what a form's club list shows. */
@Table("club")
public record Club(@Id long id, String code, String name) {
}
