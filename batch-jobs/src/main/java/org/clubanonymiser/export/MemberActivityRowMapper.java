package org.clubanonymiser.export;

import java.sql.ResultSet;
import java.sql.SQLException;

import org.clubanonymiser.eligibility.EligibilitySql;
import org.clubanonymiser.eligibility.MemberActivity;

import org.springframework.jdbc.core.RowMapper;

/** Maps a row of {@link EligibilitySql#CANDIDATE_ACTIVITY_COLUMNS}. Stateless. */
class MemberActivityRowMapper implements RowMapper<MemberActivityRow> {

    @Override
    public MemberActivityRow mapRow(ResultSet rs, int rowNum) throws SQLException {
        return new MemberActivityRow(MemberActivity.of(rs), rs.getInt("activity_read") == 1,
                rs.getString("member_number"), rs.getString("last_name"),
                rs.getString("first_name"));
    }
}
